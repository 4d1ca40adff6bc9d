import KBCommands
KBToolCommand.main()
