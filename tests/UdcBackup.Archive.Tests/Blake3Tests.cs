using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// Blob ids of format 3 are BLAKE3 digests, so they must be BLAKE3's exactly: the digests below are
/// those of the reference implementation (the `b3sum` command) for inputs of byte i = i % 251, at
/// lengths around every block, chunk and lane-batch edge (a partial block, one chunk, 2-9 chunks
/// for the 8-lane path, more than 16 for the 16-lane one, odd parent counts on several levels).
/// Every lane width this machine runs must give them: 16 (AVX-512), 8 (AVX2) and 1. The test command
/// runs this class twice more with the runtime's AVX-512, then AVX2 support switched off
/// (<c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>), so the code other CPUs take (byte-shuffle
/// rotations, the one-lane path alone) is checked here too.
/// </summary>
public sealed class Blake3Tests
{
    [Fact]
    public void The_widest_path_is_the_one_the_runtime_allows()
    {
        var expected = Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0" ? 1
            : Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0" ? Math.Min(8, Widest())
            : Widest();

        Blake3.MachineLanes.Should().Be(expected, "a switched-off instruction set must lower the width, or the extra runs check nothing new");
        Blake3.LaneWidths.Should().StartWith(expected).And.EndWith(1).And.BeInDescendingOrder();

        static int Widest() => System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? 16 : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? 8 : 1;
    }

    [Theory]
    [InlineData(0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262")]
    [InlineData(1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213")]
    [InlineData(63, "e9bc37a594daad83be9470df7f7b3798297c3d834ce80ba85d6e207627b7db7b")]
    [InlineData(64, "4eed7141ea4a5cd4b788606bd23f46e212af9cacebacdc7d1f4c6dc7f2511b98")]
    [InlineData(65, "de1e5fa0be70df6d2be8fffd0e99ceaa8eb6e8c93a63f2d8d1c30ecb6b263dee")]
    [InlineData(1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11")]
    [InlineData(1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7")]
    [InlineData(1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444")]
    [InlineData(2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a")]
    [InlineData(2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030")]
    [InlineData(3072, "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2")]
    [InlineData(3073, "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3")]
    [InlineData(4095, "0cdbdde4d038f0509412a5d1c3b1fb767d5e8c8a0eb2aae963fd36d1f544791a")]
    [InlineData(4096, "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969")]
    [InlineData(4097, "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995")]
    [InlineData(5120, "9cadc15fed8b5d854562b26a9536d9707cadeda9b143978f319ab34230535833")]
    [InlineData(5121, "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff")]
    [InlineData(8192, "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a63")]
    [InlineData(8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b")]
    [InlineData(9216, "e5ef79624045ef3e98fd23342e61d7eb965997b32928f9de591cd0d465a223fb")]
    [InlineData(16384, "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4")]
    [InlineData(16385, "1dabe216be2578830263b049de1639f39f05a4da616b9b78c7a5e4e41662fd1f")]
    [InlineData(17408, "993924ff3dcbd868be9cf3fed98d4538fe579ffccf390a5aa1ddba0f6a20bfed")]
    [InlineData(31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47")]
    [InlineData(65536, "68d647e619a930e7b1082f74f334b0c65a315725569bdc123f0ee11881717bfe")]
    [InlineData(102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085")]
    [InlineData(102407, "d5c716bfb4648d197ebab9456544537953de7d053547d8a0eff2f637844a0dcb")]
    [InlineData(1048576, "74cb441fd087764ca9c3694da742ebe30cbeb3060a17009ca81825c7a8d10343")]
    [InlineData(1048579, "dc51e3daeb5dbbb6a3eb12209fbb7cb14a74fc866a4ad82bc7eb703f536c1092")]
    [InlineData(2097152, "96fbba37478c16b7614c890b26832f67b541cf14e69ab8ebf0c739818588c9f1")]
    public void Every_lane_width_gives_the_reference_digest(int length, string expected)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        var widths = Blake3.LaneWidths;
        widths.Should().Contain(1);
        var digest = new byte[Blake3.DigestSize];
        foreach (var lanes in widths)
        {
            Array.Clear(digest);
            Blake3.Hash(input, digest, lanes);
            Convert.ToHexStringLower(digest).Should().Be(expected, $"{lanes} lanes");
        }

        BlobId.HashBlake3(input).ToString().Should().Be(expected);
    }
}
