import { describe, expect, it } from "vitest";
import { ApiError, call, describeError } from "./client";

describe("describeError", () => {
  it("uses DRF's detail", () => {
    const err = describeError(400, { detail: "Invalid username or password." });
    expect(err.message).toBe("Invalid username or password.");
    expect(err.status).toBe(400);
  });

  it("names the field when only field errors came back, and keeps them all", () => {
    const err = describeError(400, { username: ["This username is taken."], password: ["Too short."] });
    expect(err.message).toBe("username: This username is taken.");
    expect(err.fields).toEqual({ username: ["This username is taken."], password: ["Too short."] });
  });

  it("explains bare statuses", () => {
    expect(describeError(403, undefined).isAuth).toBe(true);
    expect(describeError(404, undefined).message).toMatch(/Not found/);
    expect(describeError(429, undefined).message).toMatch(/Too many/);
    expect(describeError(502, "<html>").message).toMatch(/HTTP 502/);
  });
});

describe("call", () => {
  it("returns data on success", async () => {
    await expect(call(Promise.resolve({ data: { ok: 1 }, response: new Response(null, { status: 200 }) }))).resolves.toEqual({ ok: 1 });
  });

  it("throws an ApiError that says the server could not be reached", async () => {
    const failure = call(Promise.reject(new TypeError("Failed to fetch")));
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toThrow(/Could not reach the server/);
  });

  it("throws the described error on a failed response", async () => {
    const failed = call(Promise.resolve({ error: { detail: "No such invite." }, response: new Response(null, { status: 404 }) }));
    await expect(failed).rejects.toThrow("No such invite.");
  });
});
