namespace UdcBackup.Testing;

/// <summary>Damages archive pack files for tests of what agents and controller do with damaged repository data.</summary>
public static class PackDamage
{
    /// <summary>
    /// Flips a byte every 4 KiB of <paramref name="pack"/>, in place (a running media agent keeps its
    /// pack handles open), so every blob of the pack fails its authentication when read.
    /// </summary>
    public static void Flip(string pack)
    {
        using var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        for (var offset = 64L; offset < stream.Length; offset += 4096)
        {
            stream.Position = offset;
            stream.ReadExactly(one);
            one[0] ^= 0xFF;
            stream.Position = offset;
            stream.Write(one);
        }
    }
}
