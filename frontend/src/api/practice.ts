/**
 * Typed calls for peer practice (/api/practice/). Types come from the generated schema; the
 * narrower shapes (a level, a paginated list) are declared here once.
 */
import { api, ApiError, call, type Schemas } from "./client";
import type { Paginated } from "./index";

export type PracticeLevel = Schemas["LevelEnum"];
export type PracticeDomain = Schemas["DomainEnum"];
export type PracticeProfile = Schemas["ProfileOutput"];
export type PracticeProfileInput = Schemas["ProfileInputRequest"];
export type PracticeSlot = Schemas["Slot"];
export type PracticeSlotInput = Schemas["SlotRequest"];
export type PracticeAvailability = Schemas["AvailabilityOutput"];
export type PracticeRequest = Schemas["RequestOutput"];
export type Pairing = Schemas["PairingOutput"];
export type PairingInterview = Schemas["InterviewOutput"];
export type PeerRating = Schemas["RatingOutput"];
export type PeerRatingInput = Schemas["RatingInputRequest"];
export type PartnerProfile = Schemas["PartnerProfileOutput"];
export type RatingsSummary = Schemas["RatingsSummary"];
export type AgreementSummary = Schemas["AgreementSummary"];

const pairing = (id: string) => ({ params: { path: { pairing_id: id } } });
const interview = (id: string, order: number) => ({ params: { path: { pairing_id: id, order } } });

/** The calendar file: a plain link, the browser saves what the server sends. */
export const pairingCalendarUrl = (id: string) => `/api/practice/pairings/${encodeURIComponent(id)}/calendar.ics`;

export const PracticeApi = {
  /** My practice profile, or null before I have saved one. */
  async profile(): Promise<PracticeProfile | null> {
    try {
      return await call<PracticeProfile>(api.GET("/api/practice/profile/"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  saveProfile: (body: PracticeProfileInput) => call<PracticeProfile>(api.PUT("/api/practice/profile/", { body })),
  saveAvailability: (slots: PracticeSlotInput[]) =>
    call<PracticeAvailability>(api.PUT("/api/practice/availability/", { body: { slots } })),

  /** My most recent requests, newest first. */
  requests: (): Promise<Paginated<PracticeRequest>> =>
    call(api.GET("/api/practice/requests/", { params: { query: { page_size: 20 } } })),
  /** A partner within one occurrence of my weekly slot `slotId`, on `date` (the slot's local date). */
  findPartnerInSlot: (slotId: number, date: string) =>
    call<PracticeRequest>(api.POST("/api/practice/requests/", { body: { kind: "slot", slot: slotId, date } })),
  findPartnerNow: () => call<PracticeRequest>(api.POST("/api/practice/requests/", { body: { kind: "now" } })),
  leaveWaitingRoom: (requestId: number) =>
    call<PracticeRequest>(
      api.POST("/api/practice/requests/{request_id}/cancel/", { params: { path: { request_id: requestId } } }),
    ),

  pairings: (page = 1): Promise<Paginated<Pairing>> =>
    call(api.GET("/api/practice/pairings/", { params: { query: { page, page_size: 50 } } })),
  /** The pairing holding this interview session, or null when it is not a practice session. */
  async pairingOfSession(sessionId: string): Promise<Pairing | null> {
    const page = await call<Paginated<Pairing>>(api.GET("/api/practice/pairings/", { params: { query: { session: sessionId } } }));
    return page.results[0] ?? null;
  },
  pairing: (id: string) => call<Pairing>(api.GET("/api/practice/pairings/{pairing_id}/", pairing(id))),
  cancel: (id: string) => call<Pairing>(api.POST("/api/practice/pairings/{pairing_id}/cancel/", pairing(id))),
  proposeTime: (id: string, startsAt: string) =>
    call<Pairing>(api.POST("/api/practice/pairings/{pairing_id}/reschedule/", { ...pairing(id), body: { starts_at: startsAt } })),
  acceptTime: (id: string) => call<Pairing>(api.POST("/api/practice/pairings/{pairing_id}/reschedule/accept/", pairing(id))),
  arrived: (id: string) => call<unknown>(api.POST("/api/practice/pairings/{pairing_id}/arrived/", pairing(id))),
  /** Ends the pairing; `request` is my place back in the waiting room (null when I cannot ask). */
  markNoShow: (id: string) =>
    call<Schemas["PairingNoShowOutput"]>(api.POST("/api/practice/pairings/{pairing_id}/no-show/", pairing(id))),
  recase: (id: string, order: number, caseSlug: string) =>
    call<Pairing>(
      api.PUT("/api/practice/pairings/{pairing_id}/interviews/{order}/case/", { ...interview(id, order), body: { case_study: caseSlug } }),
    ),
  rate: (id: string, order: number, body: PeerRatingInput) =>
    call<PeerRating>(api.POST("/api/practice/pairings/{pairing_id}/interviews/{order}/rating/", { ...interview(id, order), body })),

  partner: (username: string) =>
    call<PartnerProfile>(api.GET("/api/practice/partners/{username}/", { params: { path: { username } } })),
  block: (username: string, reason: string, report: boolean) =>
    call<Schemas["BlockOutput"]>(api.POST("/api/practice/blocks/", { body: { username, reason, report } })),
};
