/**
 * This browser's microphone and camera: asking for them, switching devices, and the list of
 * devices to pick from. Holds the tracks; the call manager puts them on its connections.
 */

export interface DeviceOption {
  id: string;
  label: string;
}

export type MediaKind = "audio" | "video";

function describeError(kind: MediaKind, error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  const what = kind === "audio" ? "microphone" : "camera";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return `The browser did not allow the ${what}; allow it in the site settings, then try again.`;
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") return `No ${what} was found.`;
  if (name === "NotReadableError") return `The ${what} is in use by another program.`;
  return `The ${what} could not be started.`;
}

export class LocalMedia {
  /** Every local track, for the preview and as the stream the tracks are sent with. */
  readonly stream: MediaStream;
  mic: MediaStreamTrack | null = null;
  camera: MediaStreamTrack | null = null;
  micError: string | null = null;
  cameraError: string | null = null;
  devices: Record<MediaKind, DeviceOption[]> = { audio: [], video: [] };
  selected: Record<MediaKind, string> = { audio: "", video: "" };

  constructor(
    private readonly onChange: () => void,
    private readonly mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices,
  ) {
    this.stream = typeof MediaStream === "undefined" ? ({} as MediaStream) : new MediaStream();
    this.mediaDevices?.addEventListener?.("devicechange", () => void this.refreshDevices());
  }

  get available(): boolean {
    return Boolean(this.mediaDevices?.getUserMedia);
  }

  private async capture(kind: MediaKind, deviceId: string): Promise<MediaStreamTrack | null> {
    if (!this.mediaDevices) {
      this.setError(kind, "This browser cannot capture audio or video here (it needs HTTPS).");
      return null;
    }
    const exact = deviceId ? { deviceId: { exact: deviceId } } : {};
    const constraints: MediaStreamConstraints =
      kind === "audio"
        ? { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, ...exact } }
        : { video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 }, ...exact } };
    try {
      const stream = await this.mediaDevices.getUserMedia(constraints);
      const track = (kind === "audio" ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
      this.setError(kind, null);
      if (track) this.selected[kind] = track.getSettings().deviceId ?? deviceId;
      return track;
    } catch (error) {
      this.setError(kind, describeError(kind, error));
      return null;
    } finally {
      void this.refreshDevices(); // labels are only readable once a device was allowed
    }
  }

  private setError(kind: MediaKind, error: string | null): void {
    if (kind === "audio") this.micError = error;
    else this.cameraError = error;
    this.onChange();
  }

  /** Starts (or switches) the microphone; returns the new track and the one it replaces. */
  async startMic(deviceId = this.selected.audio): Promise<{ track: MediaStreamTrack | null; old: MediaStreamTrack | null }> {
    const track = await this.capture("audio", deviceId);
    const old = this.mic;
    if (!track) return { track: null, old: null };
    this.swap(old, track);
    this.mic = track;
    this.onChange();
    return { track, old };
  }

  async startCamera(deviceId = this.selected.video): Promise<{ track: MediaStreamTrack | null; old: MediaStreamTrack | null }> {
    const track = await this.capture("video", deviceId);
    const old = this.camera;
    if (!track) return { track: null, old: null };
    this.swap(old, track);
    this.camera = track;
    this.onChange();
    return { track, old };
  }

  stopCamera(): void {
    if (!this.camera) return;
    this.swap(this.camera, null);
    this.camera = null;
    this.onChange();
  }

  private swap(old: MediaStreamTrack | null, track: MediaStreamTrack | null): void {
    if (old) {
      this.stream.removeTrack?.(old);
      old.stop();
    }
    if (track) this.stream.addTrack?.(track);
  }

  async refreshDevices(): Promise<void> {
    if (!this.mediaDevices?.enumerateDevices) return;
    try {
      const all = await this.mediaDevices.enumerateDevices();
      const options = (kind: MediaDeviceKind, fallback: string) =>
        all
          .filter((d) => d.kind === kind && d.deviceId)
          .map((d, i) => ({ id: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
      this.devices = { audio: options("audioinput", "Microphone"), video: options("videoinput", "Camera") };
      this.onChange();
    } catch {
      // Listing devices is a convenience; the default device still works.
    }
  }

  stop(): void {
    for (const track of [this.mic, this.camera]) track?.stop();
    this.mic = this.camera = null;
  }
}
