using System.Security.Cryptography;

namespace Vhw.Modeling.Loading;

/// <summary>SHA-256 over the bytes of the weight files, concatenated in ordinal file-name order (lowercase hex).</summary>
public static class WeightsHash
{
    public static string Compute(IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[4 << 20];
        foreach (string file in files.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
