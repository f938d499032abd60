namespace Solvent.Crypto;

/// <summary>Why a 65-byte r‖s‖v signature was refused. Values are stable; append only.</summary>
public enum SignatureError
{
    /// <summary>The signature recovered a signer.</summary>
    None = 0,

    /// <summary>Not exactly 65 bytes, or the digest is not 32 bytes.</summary>
    BadLength = 1,

    /// <summary>r is zero or not below the group order n.</summary>
    InvalidR = 2,

    /// <summary>s is zero or not below the group order n.</summary>
    InvalidS = 3,

    /// <summary>s is above n/2: the malleable twin of a valid signature (EIP-2); only low-s is accepted.</summary>
    HighS = 4,

    /// <summary>v is none of 0, 1, 27, 28.</summary>
    InvalidV = 5,

    /// <summary>r is not the x-coordinate of a curve point, or the recovered key is the point at infinity.</summary>
    RecoveryFailed = 6,
}
