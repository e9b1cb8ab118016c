import { describe, expect, it } from "vitest";

import { truncateUtf8 } from "./protocol";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("truncateUtf8", () => {
  it("keeps text that fits as it is", () => {
    expect(truncateUtf8("feature store", 2000)).toBe("feature store");
  });

  it("cuts by bytes, not characters", () => {
    const emoji = "😀".repeat(600); // 600 characters, 2,400 bytes
    const cut = truncateUtf8(emoji, 2000);
    expect(bytes(cut)).toBe(2000);
    expect(cut).toBe("😀".repeat(500));
  });

  it("never splits a character", () => {
    const cut = truncateUtf8("ab" + "é".repeat(10), 7);
    expect(cut).toBe("abéé"); // 2 + 2 + 2 bytes; a third é would make 8
  });
});

describe("the message types", () => {
  it("are exactly the ones the server defines (interviews/protocol/outbound.py)", async () => {
    const { SERVER_TYPES } = await import("./protocol");
    const schema = (await import("./protocol.schema.json")).default;
    expect([...SERVER_TYPES].sort()).toEqual(Object.keys(schema.messages).sort());
  });

  it("take their limits from the server's definition", async () => {
    const { LIMITS } = await import("./protocol");
    expect(LIMITS.bytesPerFrame).toBe(1024 * 1024);
    expect(LIMITS.chatBytes).toBe(2000);
  });
});
