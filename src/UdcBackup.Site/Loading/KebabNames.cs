using System.Text;

namespace UdcBackup.Site.Loading;

/// <summary>Enum values as written in site files and canonical JSON: <c>DatabaseBackupMode</c> ↔ <c>database-backup-mode</c>.</summary>
internal static class KebabNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Of(value.ToString());

    public static string Of(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
