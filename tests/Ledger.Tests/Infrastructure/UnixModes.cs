namespace Ledger.Tests.Infrastructure;

/// <summary>File modes as octal text ("600"), as <c>stat -c %a</c> prints them; the service's secrets are Unix files.</summary>
public static class UnixModes
{
    public static string Of(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("file modes are checked on Unix");
        return Convert.ToString((int)File.GetUnixFileMode(path), 8);
    }
}
