import KBCommands

KBTool.main()
