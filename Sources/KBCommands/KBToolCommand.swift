public enum KBToolCommand { public static func main() {} }
