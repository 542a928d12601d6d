using System.Buffers.Binary;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// What the caller hears between two sentences of the wait: one soft, short note, then quiet, so that the
/// line is heard to be alive without words. Made once in memory (8 kHz, 16-bit mono PCM, what a phone line
/// carries) and served unsigned on GET, as Twilio fetches what &lt;Play&gt; names: the same bytes for
/// everyone, nothing about any call. Not 425 Hz, the Belgian ringing tone: it must not sound like a line
/// ringing elsewhere.
/// </summary>
internal static class HoldTone
{
    public const string Path = "/hold-tone.wav";
    /// <summary>How long one play of it lasts: the wait's round, and so how soon a confirmation is heard.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(4);

    private const int SampleRate = 8000;
    private const double NoteHz = 523.25; // C5: gentle, and far from the ringing and busy tones
    private const double NoteSeconds = 0.35;
    /// <summary>About a quarter of full scale (-12 dBFS): soft beside speech.</summary>
    private const double Loudness = 0.25;

    public static readonly byte[] Wav = Make();

    private static byte[] Make()
    {
        var samples = (int)(Length.TotalSeconds * SampleRate);
        var wav = new byte[44 + samples * 2];
        var header = wav.AsSpan();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], wav.Length - 8);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16); // the format block's size
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], SampleRate * 2); // bytes a second
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2); // bytes a sample
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16); // bits a sample
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], samples * 2);
        var note = (int)(NoteSeconds * SampleRate);
        for (var i = 0; i < note; i++)
        {
            // A raised-cosine envelope: the note swells and fades, with no click at either end.
            var envelope = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / note);
            var sample = Loudness * envelope * Math.Sin(2 * Math.PI * NoteHz * i / SampleRate);
            BinaryPrimitives.WriteInt16LittleEndian(header[(44 + i * 2)..], (short)(sample * short.MaxValue));
        }
        return wav;
    }
}
