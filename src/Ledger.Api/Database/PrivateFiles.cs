using System.Text;

namespace Ledger.Api.Database;

/// <summary>
/// Secrets (the database password, the generated key) are created readable by this user only from their first byte:
/// the mode is given to open(2), not set by a chmod after the write, when another local user could already have read them.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes a new file with mode 0600; one left behind (an interrupted start) is replaced, never reused with its old mode.</summary>
    public static void WriteAllText(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode600;
        if (File.Exists(path)) File.Delete(path);
        // CreateNew is O_EXCL: a file (or a symlink) someone slips in between the delete and the open makes this fail, not leak.
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(text);
    }

    /// <summary>
    /// The data directory, mode 0700: created so, or tightened when it is ours (empty, or holding the ledger's files).
    /// A directory that holds other things (say, /tmp given by mistake) is left as it is: its mode is not ours to change.
    /// </summary>
    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode700);
            return;
        }
        string[] ours = ["pg", "pg.password", "pg.service-password", "api-keys.json"];
        var entries = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).ToList();
        if (entries.Count == 0 || entries.Any(e => ours.Contains(e))) File.SetUnixFileMode(path, DirectoryMode700);
    }
}
