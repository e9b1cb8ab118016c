import { describe, expect, it } from "vitest";
import { FakePeerConnection } from "./fakePeer";
import { OFFER_RESEND_MS, POLITE_OFFER_WAIT_MS, PeerLink, STUCK_NEW_RESTART_MS, type Signal } from "./negotiation";

type Side = "iv" | "cd";
const other = (side: Side): Side => (side === "iv" ? "cd" : "iv");

/** Two browsers and the room between them: a side whose socket is down can neither send nor
 * hear; what is sent to a side that is not there is lost, as the server relays to nobody. */
class Room {
  links: Partial<Record<Side, PeerLink>> = {};
  pcs: Record<Side, FakePeerConnection[]> = { iv: [], cd: [] };
  up: Record<Side, boolean> = { iv: true, cd: true };
  sent: Record<Side, Signal[]> = { iv: [], cd: [] };
  clock = 1_000;
  private ids = 0;

  join(side: Side, { tracks = true }: { tracks?: boolean } = {}): PeerLink {
    const link = new PeerLink({
      polite: side === "cd",
      createConnection: () => {
        const pc = new FakePeerConnection(side);
        this.pcs[side].push(pc);
        return pc;
      },
      attach: (pc) => {
        if (tracks) (pc as FakePeerConnection).addTrack();
      },
      send: (signal) => this.send(side, signal),
      onChange: () => {},
      newId: () => `${side}${++this.ids}`,
      now: () => this.clock,
      log: () => {},
    });
    this.links[side] = link;
    return link;
  }

  private send(from: Side, signal: Signal): boolean {
    if (!this.up[from]) return false;
    this.sent[from].push(signal);
    const to = other(from);
    setTimeout(() => {
      const link = this.links[to];
      if (this.up[to] && link) void link.receive(signal);
    }, 0);
    return true;
  }

  pc(side: Side): FakePeerConnection {
    return this.pcs[side][this.pcs[side].length - 1] as FakePeerConnection;
  }

  link(side: Side): PeerLink {
    return this.links[side] as PeerLink;
  }

  tick(ms: number): void {
    this.clock += ms;
    this.link("iv").tick();
    this.link("cd").tick();
  }
}

async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

function expectConnected(room: Room): void {
  const iv = room.link("iv");
  const cd = room.link("cd");
  expect(iv.status).toBe("connected");
  expect(cd.status).toBe("connected");
  expect(iv.remote).toBe(cd.id);
  expect(cd.remote).toBe(iv.id);
  expect(room.pc("iv").signalingState).toBe("stable");
  expect(room.pc("cd").signalingState).toBe("stable");
}

describe("PeerLink", () => {
  it("connects when both sides offer at once (glare): the polite side gives way", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    expectConnected(room);
    // The interviewer's offer won: its connection's description is the offer.
    expect(room.pc("iv").localDescription?.type).toBe("offer");
    expect(room.pc("cd").localDescription?.type).toBe("answer");
    // The polite side waited for it rather than offering and rolling back.
    expect(room.sent.cd.some((s) => s.description?.type === "offer")).toBe(false);
  });

  it("the polite side offers itself when the other has nothing to offer", async () => {
    const room = new Room();
    room.join("iv", { tracks: false }); // its microphone was refused
    room.join("cd");
    await settle();
    expect(room.link("cd").status).not.toBe("connected");
    room.tick(POLITE_OFFER_WAIT_MS);
    await settle();
    expectConnected(room);
    expect(room.pc("cd").localDescription?.type).toBe("offer");
  });

  it("sends its unanswered offer again as soon as the other side says hello", async () => {
    const room = new Room();
    room.join("iv");
    await settle(); // the offer went to nobody
    const offers = room.sent.iv.filter((s) => s.description?.type === "offer").length;
    room.join("cd");
    await settle();
    expectConnected(room);
    expect(room.sent.iv.filter((s) => s.description?.type === "offer").length).toBe(offers + 1);
    expect(room.sent.cd.some((s) => s.description?.type === "offer")).toBe(false);
  });

  it("connects when the impolite side's first offer was lost (the other was not there yet)", async () => {
    const room = new Room();
    room.join("iv");
    await settle(); // its hello and offer go to nobody
    expect(room.sent.iv.some((s) => s.description?.type === "offer")).toBe(true);
    room.join("cd");
    await settle();
    expectConnected(room);
  });

  it("connects when the polite side was first", async () => {
    const room = new Room();
    room.join("cd");
    await settle();
    room.join("iv");
    await settle();
    expectConnected(room);
  });

  it("an observer without tracks is called by the side that has them", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd", { tracks: false });
    await settle();
    expectConnected(room);
    expect(room.sent.cd.every((s) => s.description?.type !== "offer")).toBe(true);
  });

  it("follows the other side's fresh start (a reload) with a new connection of its own", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    const before = room.link("iv").id;
    room.link("cd").close();
    room.join("cd"); // the candidate reloaded the page
    await settle();
    expectConnected(room);
    expect(room.link("iv").id).not.toBe(before);
    expect(room.pcs.iv.length).toBe(2);
  });

  it("the retry button starts afresh on both sides", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    const ids = [room.link("iv").id, room.link("cd").id];
    room.link("cd").restart();
    await settle();
    expectConnected(room);
    expect([room.link("iv").id, room.link("cd").id]).not.toContain(ids[0]);
    expect(room.link("cd").id).not.toBe(ids[1]);
  });

  it("a connection that died with an operation pending does not hold up the next one's signals", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    const dead = room.pc("iv");
    dead.stalled = true;
    room.pc("cd").setConnection("failed"); // the candidate's ICE restart offer reaches a dying connection
    await settle();
    dead.close();
    room.link("iv").restart(); // the retry button
    await settle();
    expectConnected(room);
    expect(room.pcs.iv.length).toBe(2);
  });

  it("answers a message for a connection of its that is gone with a hello, and the sender catches up", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    // The candidate reloads while the interviewer's socket is down: its new connection's hello
    // and offer are lost.
    room.up.iv = false;
    room.link("cd").close();
    room.join("cd");
    await settle();
    room.up.iv = true;
    room.pc("iv").setConnection("failed"); // the old remote is gone: ICE fails, restarts
    room.link("iv").socketOpened();
    await settle();
    room.tick(OFFER_RESEND_MS); // the candidate's unanswered offer goes again
    await settle();
    expectConnected(room);
  });

  it("sends again what it could not send while the socket was down", async () => {
    const room = new Room();
    room.join("iv");
    room.up.cd = false;
    room.join("cd");
    await settle();
    expect(room.link("cd").status).not.toBe("connected");
    room.up.cd = true;
    room.link("cd").socketOpened();
    await settle();
    room.tick(OFFER_RESEND_MS);
    await settle();
    expectConnected(room);
  });

  it("sends an unanswered offer again", async () => {
    const room = new Room();
    room.join("cd");
    room.join("iv");
    room.up.cd = false; // the candidate hears nothing for a while
    await settle();
    room.up.cd = true;
    room.tick(OFFER_RESEND_MS);
    await settle();
    expectConnected(room);
  });

  it("restarts ICE when the connection fails, and renegotiates", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    const pc = room.pc("iv");
    const offers = room.sent.iv.filter((s) => s.description?.type === "offer").length;
    pc.setConnection("failed");
    await settle();
    expect(pc.restarts).toBe(1);
    expect(room.sent.iv.filter((s) => s.description?.type === "offer").length).toBe(offers + 1);
    expect(room.sent.iv.at(-2)?.description?.sdp ?? room.sent.iv.at(-1)?.description?.sdp).toContain("ice-restart");
    expect(room.pcs.iv.length).toBe(1); // the same connection, not a new one
  });

  it("restarts ICE when a negotiated connection never starts it", async () => {
    const room = new Room();
    const link = room.join("iv");
    room.pc("iv").neverConnects = true;
    room.join("cd");
    await settle();
    expect(link.status).toBe("new");
    expect(room.pc("iv").signalingState).toBe("stable");
    room.tick(1_000);
    room.tick(STUCK_NEW_RESTART_MS);
    expect(room.pc("iv").restarts).toBe(1);
    expect(room.pc("cd").restarts).toBe(0); // the polite side waits longer
    room.pc("iv").neverConnects = false;
    await settle();
    expectConnected(room);
  });

  it("relays candidates to the bound connection", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    expect(room.pc("cd").candidates.length + room.pc("iv").candidates.length).toBeGreaterThan(0);
    // The answering side gathers once it knows the other connection: each candidate names it.
    const relayed = room.sent.cd.filter((s) => s.candidate).map((s) => s.to_peer);
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed).toEqual(relayed.map(() => room.link("iv").id));
  });
});

describe("descriptions sent twice", () => {
  it("are applied once; an offer sent again gets the answer again", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    expectConnected(room);
    const offer = room.sent.iv.filter((s) => s.description?.type === "offer").at(-1) as Signal;
    const answers = room.sent.cd.filter((s) => s.description?.type === "answer").length;
    const remote = room.pc("cd").remoteDescription;
    await room.link("cd").receive(offer);
    await settle();
    expect(room.pc("cd").remoteDescription).toBe(remote);
    expect(room.sent.cd.filter((s) => s.description?.type === "answer").length).toBe(answers + 1);
    expectConnected(room);
  });

  it("an answer that arrives twice is ignored the second time, even in a later negotiation", async () => {
    const room = new Room();
    room.join("iv");
    room.join("cd");
    await settle();
    const answer = room.sent.cd.filter((s) => s.description?.type === "answer").at(-1) as Signal;
    room.up.cd = false; // the interviewer's next offer goes unanswered for now
    room.pc("iv").addTrack();
    await settle();
    expect(room.pc("iv").signalingState).toBe("have-local-offer");
    await room.link("iv").receive(answer); // the old answer, late
    expect(room.pc("iv").signalingState).toBe("have-local-offer");
    room.up.cd = true;
    room.tick(OFFER_RESEND_MS);
    await settle();
    expectConnected(room);
  });
});
