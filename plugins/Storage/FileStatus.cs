using System.Runtime.InteropServices;

namespace DevPlatform.Plugins.Storage;

/// <summary>
/// <c>lstat(2)</c> of one path — never following a symlink — with what .NET's file APIs do not give: the device (to
/// stay on one file system), the inode and link count (to count hard links once) and the allocated blocks (so a
/// sparse file counts what it occupies). glibc's struct stat differs between x86-64 and arm64; both are read here.
/// </summary>
internal readonly partial record struct FileStatus(ulong Device, ulong Inode, ulong Links, uint Mode, long Size, long Blocks, long ModifiedSeconds)
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint DirectoryType = 0x4000;
    private const uint RegularType = 0x8000;
    private const uint SymlinkType = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsRegular => (Mode & TypeMask) == RegularType;

    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;

    /// <summary>st_blocks is in 512-byte units whatever the file system's block size.</summary>
    public long AllocatedBytes => Blocks * 512;

    public DateTimeOffset Modified => DateTimeOffset.FromUnixTimeSeconds(ModifiedSeconds);

    /// <summary>The entry's status, or null when it vanished (or cannot be read) meanwhile.</summary>
    public static FileStatus? Of(string path)
    {
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return LstatArm64(path, out var a) == 0 ? new FileStatus(a.Device, a.Inode, a.Links, a.Mode, a.Size, a.Blocks, a.ModifiedSeconds) : null;
        }

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException($"The local-disk storage provider reads struct stat on x86-64 and arm64 Linux; this is {RuntimeInformation.ProcessArchitecture}.");
        }

        return LstatX64(path, out var x) == 0 ? new FileStatus(x.Device, x.Inode, x.Links, x.Mode, x.Size, x.Blocks, x.ModifiedSeconds) : null;
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LstatX64(string path, out StatX64 status);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LstatArm64(string path, out StatArm64 status);

    /// <summary>glibc x86-64 struct stat (144 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatX64
    {
        public ulong Device;
        public ulong Inode;
        public ulong Links;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Padding0;
        public ulong SpecialDevice;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public long AccessedSeconds;
        public long AccessedNanoseconds;
        public long ModifiedSeconds;
        public long ModifiedNanoseconds;
        public long ChangedSeconds;
        public long ChangedNanoseconds;
        public long Reserved0;
        public long Reserved1;
        public long Reserved2;
    }

    /// <summary>glibc arm64 (asm-generic) struct stat (128 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatArm64
    {
        public ulong Device;
        public ulong Inode;
        public uint Mode;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ulong SpecialDevice;
        public ulong Padding1;
        public long Size;
        public int BlockSize;
        public int Padding2;
        public long Blocks;
        public long AccessedSeconds;
        public long AccessedNanoseconds;
        public long ModifiedSeconds;
        public long ModifiedNanoseconds;
        public long ChangedSeconds;
        public long ChangedNanoseconds;
        public uint Reserved4;
        public uint Reserved5;

        public readonly ulong Links => LinkCount;
    }
}
