/** One colour per framework step (in framework order), shared by the report's charts. */
export const STEP_COLOURS = ["#364fc7", "#4c6ef5", "#15aabf", "#0ca678", "#74b816", "#f59f00", "#e8590c"];

export function stepColour(index: number): string {
  return STEP_COLOURS[((index % STEP_COLOURS.length) + STEP_COLOURS.length) % STEP_COLOURS.length] ?? "#364fc7";
}
