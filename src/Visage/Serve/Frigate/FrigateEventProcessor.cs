using System.Security.Cryptography;
using Visage.Contracts;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Recognition;
using Visage.Sightings;

namespace Visage.Serve.Frigate;

/// <summary>
/// One Frigate event message, handled: is it a wanted event (label, camera, zone), fetch its picture (the event's
/// snapshot, or the camera's latest frame while the event has none), recognize every face with the core verb, store each
/// as a sighting, and post the best known person as the event's sub label. At most
/// <see cref="FrigateOptions.MaxAttempts"/> pictures per event, never the same picture twice, none after a person was
/// named. Faults (Frigate unreachable, an expired event, a picture that is not an image, the database down) are logged
/// once per event and end the attempt, never the bridge.
/// </summary>
public sealed class FrigateEventProcessor(FrigateOptions options, FrigateClient frigate, FacePipeline pipeline, GalleryHost galleries,
    ServiceOptions service, ILogger<FrigateEventProcessor> log)
{
    private readonly FrigateEvents _events = new();
    private int _frigateDown; // 1 while Frigate fails: one warning per outage

    /// <summary>The source name of the sightings the bridge stores.</summary>
    public const string Source = "frigate";

    /// <summary>The events remembered now (for tests: they are forgotten when they end).</summary>
    public int Remembered => _events.Count;

    /// <summary>True when the bridge acts on this event at all.</summary>
    public bool Wants(FrigateEvent e) =>
        !e.FalsePositive
        && options.Labels.Contains(e.Label, StringComparer.OrdinalIgnoreCase)
        && (options.Cameras.Count == 0 || options.Cameras.Contains(e.Camera, StringComparer.Ordinal))
        && (options.Zones.Count == 0 || e.Zones.Any(z => options.Zones.Contains(z, StringComparer.Ordinal)));

    /// <summary>Handles one message; null when nothing was recognized (not wanted, done with, no new picture, or a fault).</summary>
    public async Task<FrigateOutcome?> HandleAsync(FrigateEvent e, CancellationToken cancel)
    {
        if (!Wants(e)) return null;
        var state = _events.Get(e.Id);
        await state.Lock.WaitAsync(cancel);
        try
        {
            if (state.Named || state.Attempts >= options.MaxAttempts) return null;
            return await AttemptAsync(e, state, cancel);
        }
        finally
        {
            state.Lock.Release();
            if (e.Ended) _events.Remove(e.Id);
        }
    }

    private async Task<FrigateOutcome?> AttemptAsync(FrigateEvent e, FrigateEvents.State state, CancellationToken cancel)
    {
        var (picture, source) = await PictureAsync(e, state, cancel);
        if (picture is null) return null;
        var sha = Convert.ToHexStringLower(SHA256.HashData(picture));
        if (!state.Pictures.Add(sha)) return null; // this very picture was recognized already
        state.Attempts++;
        AnalyzedImage analyzed;
        try
        {
            analyzed = await pipeline.AnalyzeAsync(picture, embed: true, cancel);
        }
        catch (ImageDecodeException x)
        {
            WarnOnce(state, "Frigate event {Id} on {Camera}: the {Source} is not a usable image ({Message})", e.Id, e.Camera, source, x.Message);
            return null;
        }
        catch (ProblemException busy) when (busy.Status == StatusCodes.Status503ServiceUnavailable)
        {
            state.Pictures.Remove(sha); // busy, not bad: the next message may try the same picture
            state.Attempts--;
            log.LogDebug("Frigate event {Id}: every analysis slot busy, skipped", e.Id);
            return null;
        }
        if (analyzed.Analysis.Faces.Count == 0) return new FrigateOutcome(e.Id, e.Camera, e.FrameTime, "unknown", null, null, [], false);

        FaceGallery gallery;
        try
        {
            gallery = galleries.Matching;
        }
        catch (GalleryException x) when (x is GalleryUnavailableException or GalleryCorruptException)
        {
            state.Pictures.Remove(sha); // the gallery, not the picture, failed: a later message may try it again
            state.Attempts--;
            WarnOnce(state, "Frigate event {Id}: no gallery to recognize with ({Message})", e.Id, x.Message);
            return null;
        }
        var recognized = Recognizer.Recognize(analyzed.Analysis, gallery, service.Matching);
        var matches = recognized.Faces.Select(r => Match(e, r, source, state.Attempts)).ToList();
        var best = matches.Where(m => m.PersonId is not null).MaxBy(m => m.Confidence);
        // The sub label first: Frigate is waiting for it, the sightings' durable commits are not.
        var posted = best is not null && await PostSubLabelAsync(e, best, state, cancel);
        var milliseconds = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(e.ReceivedAt).TotalMilliseconds, 1);
        if (best is not null) state.Named = true;
        matches = [.. matches.Zip(recognized.Faces, (m, r) => m with { Sighting = Record(e, r, m, analyzed, sha) })];
        return new FrigateOutcome(e.Id, e.Camera, e.FrameTime, best?.Name ?? "unknown", best?.PersonId, best?.Confidence, matches, posted, milliseconds);
    }

    private static FrigateMatch Match(FrigateEvent e, RecognizedFace r, string source, int attempt)
    {
        var m = r.Match;
        var confidence = Math.Round(m.Confidence, 4);
        float? distance = float.IsFinite(m.Distance) ? MathF.Round(m.Distance, 4) : null;
        return new FrigateMatch(e.Id, e.Camera, e.FrameTime, m.Name, m.PersonId, confidence, distance, BoxJson.From(r.Face.Box), null, source, attempt);
    }

    private long? Record(FrigateEvent e, RecognizedFace r, FrigateMatch match, AnalyzedImage analyzed, string sha)
    {
        try
        {
            return galleries.Sightings((_, store) => store.Record(new NewSighting(e.Camera, Source, e.Id, e.FrameTime, match.PersonId,
                match.PersonId is null ? null : (float)match.Confidence, match.Distance, r.Face, sha, FaceThumbnail.Jpeg(analyzed.Image, r.Face.Box)))).Id;
        }
        catch (GalleryException x) when (x is GalleryUnavailableException or PersonNotFoundException)
        {
            log.LogWarning("Frigate event {Id}: the sighting was not stored: {Message}", e.Id, x.Message);
            return null;
        }
    }

    private async Task<(byte[]? Picture, string Source)> PictureAsync(FrigateEvent e, FrigateEvents.State state, CancellationToken cancel)
    {
        try
        {
            byte[]? picture = null;
            if (e.HasSnapshot)
            {
                picture = await frigate.SnapshotAsync(e.Id, cancel);
                if (picture is not null) { FrigateUp(); return (picture, "snapshot"); }
            }
            // No snapshot (yet): while the object is still in view the camera's frame shows it; after the end it does not.
            if (!e.Ended) picture = await frigate.LatestAsync(e.Camera, cancel);
            FrigateUp();
            if (picture is null) WarnOnce(state, "Frigate event {Id} on {Camera}: Frigate has no picture of it (expired, or an unknown camera)", e.Id, e.Camera);
            return (picture, "latest");
        }
        catch (Exception x) when (x is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _frigateDown, 1) == 0)
                log.LogWarning("Frigate at {Url} cannot be reached ({Message}); events are skipped until it answers", FrigateOptions.Redact(options.Frigate), x.Message);
            return (null, "");
        }
    }

    private async Task<bool> PostSubLabelAsync(FrigateEvent e, FrigateMatch best, FrigateEvents.State state, CancellationToken cancel)
    {
        if (!options.UpdateSubLabels) return false;
        try
        {
            if (await frigate.SetSubLabelAsync(e.Id, best.Name!, best.Confidence, cancel)) return true;
            WarnOnce(state, "Frigate event {Id}: Frigate has no such event any more, the sub label {Name} was not set", e.Id, best.Name);
        }
        catch (Exception x) when (x is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            WarnOnce(state, "Frigate event {Id}: the sub label was not set: {Message}", e.Id, x.Message);
        }
        return false;
    }

    private void FrigateUp()
    {
        if (Interlocked.Exchange(ref _frigateDown, 0) == 1) log.LogInformation("Frigate answers again");
    }

    private void WarnOnce(FrigateEvents.State state, string message, params object?[] args)
    {
#pragma warning disable CA2254 // the templates are constants of this class
        if (state.Warned) log.LogDebug(message, args);
        else log.LogWarning(message, args);
#pragma warning restore CA2254
        state.Warned = true;
    }
}
