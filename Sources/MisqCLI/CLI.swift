public enum MisqCLI {}
