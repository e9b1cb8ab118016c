import { describe, expect, it } from "vitest";
import type { ClientMessage, Participant, Role, StateMessage } from "../protocol";
import { FakePeerConnection } from "./fakePeer";
import { CallManager } from "./manager";

const people: Participant[] = [
  { user_id: 1, username: "iris", role: "interviewer", online: true },
  { user_id: 2, username: "cole", role: "candidate", online: true },
  { user_id: 3, username: "olga", role: "observer", online: true },
  { user_id: 4, username: "otto", role: "observer", online: true },
];

function snapshot(userId: number, role: Role): StateMessage {
  return {
    type: "state",
    seq: 0,
    server_time: 0,
    me: { user_id: userId, username: "me", role },
    session: {
      id: "s",
      status: "live",
      board_locked: false,
      auto_advance: false,
      case_study: { slug: "c", title: "C", prompt: "P" },
      report_status: null,
    },
    participants: people,
    timer: { status: "not_started", current_step: 0, step: "clarify", segment_started_at: null, auto_advance: false, steps: [] },
    whiteboard: { elements: [] },
    chat: [],
    recording: { state: "pending", consents: { interviewer: null, candidate: null }, active_since: null },
    call: { ice_servers: [{ urls: ["stun:stun.example.com:3478"] }], expires_at: null },
  };
}

function setup() {
  const sent: ClientMessage[] = [];
  const pcs: FakePeerConnection[] = [];
  const configs: RTCConfiguration[] = [];
  let captures = 0;
  const track = { kind: "audio", stop() {}, getSettings: () => ({ deviceId: "mic-1" }) } as unknown as MediaStreamTrack;
  const mediaDevices = {
    getUserMedia: async () => {
      captures += 1;
      return { getAudioTracks: () => [track], getVideoTracks: () => [] } as unknown as MediaStream;
    },
    enumerateDevices: async () => [],
    addEventListener: () => {},
  } as unknown as MediaDevices;
  const call = new CallManager("s", (msg) => (sent.push(msg), true), {
    createConnection: (config) => {
      configs.push(config);
      const pc = new FakePeerConnection();
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    mediaDevices,
    locks: null,
  });
  return { call, sent, pcs, configs, captures: () => captures, track };
}

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe("CallManager", () => {
  it("calls every other participant with the microphone on, using the server's ICE servers", async () => {
    const { call, sent, pcs, configs, captures } = setup();
    call.start();
    call.onState(snapshot(1, "interviewer"));
    await settle();
    expect(captures()).toBe(1);
    expect(pcs).toHaveLength(3); // candidate and both observers
    expect(configs[0]).toEqual({ iceServers: [{ urls: ["stun:stun.example.com:3478"] }] });
    expect(pcs.every((pc) => pc.tracks === 1)).toBe(true);
    const hellos = sent.filter((m) => m.type === "call.signal" && !("description" in m && m.description));
    expect(new Set(hellos.map((m) => (m as { to: number }).to))).toEqual(new Set([2, 3, 4]));
    expect(sent).toContainEqual({ type: "call.media", audio: true, video: false });
    expect(call.getView().peers.map((p) => p.userId)).toEqual([2, 3, 4]);
    call.stop();
  });

  it("an observer captures nothing, sends no tracks, and has no call with other observers", async () => {
    const { call, sent, pcs, captures } = setup();
    call.start();
    call.onState(snapshot(3, "observer"));
    await settle();
    expect(captures()).toBe(0);
    expect(pcs).toHaveLength(2); // interviewer and candidate, not the other observer
    expect(pcs.every((pc) => pc.tracks === 0)).toBe(true);
    expect(sent.some((m) => m.type === "call.media")).toBe(false);
    expect(sent.some((m) => m.type === "call.signal" && "description" in m && m.description)).toBe(false);
    expect(call.getView().canSpeak).toBe(false);
    call.stop();
  });

  it("mute takes the track off every connection and tells the others; unmute puts it back", async () => {
    const { call, sent, pcs, track } = setup();
    call.start();
    call.onState(snapshot(2, "candidate"));
    await settle();
    call.toggleMic();
    await settle();
    expect(pcs.flatMap((pc) => pc.senders).every((s) => s.track === null)).toBe(true);
    expect(sent.at(-1)).toEqual({ type: "call.media", audio: false, video: false });
    expect(call.getView().micOn).toBe(false);
    call.toggleMic();
    await settle();
    expect(pcs.flatMap((pc) => pc.senders).every((s) => s.track === track)).toBe(true);
    expect(sent.at(-1)).toEqual({ type: "call.media", audio: true, video: false });
    call.stop();
  });

  it("shows what the others said about their microphone and camera", async () => {
    const { call } = setup();
    call.start();
    call.onState(snapshot(1, "interviewer"));
    await settle();
    call.onMedia({ type: "call.media", user_id: 2, audio: false, video: true });
    const cole = call.getView().peers.find((p) => p.userId === 2);
    expect(cole?.micOn).toBe(false);
    expect(cole?.cameraOn).toBe(true);
    call.stop();
  });

  it("re-signals every connection when a new snapshot follows a reconnect", async () => {
    const { call, sent } = setup();
    call.start();
    call.onState(snapshot(1, "interviewer"));
    await settle();
    const before = sent.length;
    call.onState(snapshot(1, "interviewer"));
    const hellos = sent.slice(before).filter((m) => m.type === "call.signal");
    expect(hellos.length).toBeGreaterThanOrEqual(3);
    call.stop();
  });
});
