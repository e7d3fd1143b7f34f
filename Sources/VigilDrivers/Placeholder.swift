public enum VigilDriversPlaceholder {}
