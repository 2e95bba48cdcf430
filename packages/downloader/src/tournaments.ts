import { UnknownTournamentError } from "./errors.js";

/** Numerai tournament ids used by the API: Classic 8, Signals 11, Crypto 12. */
export const TOURNAMENTS = { classic: 8, signals: 11, crypto: 12 } as const;

/** A tournament name as accepted everywhere in this package. */
export type TournamentName = keyof typeof TOURNAMENTS;

/** A tournament by name or by id. */
export type Tournament = TournamentName | number;

/**
 * The numeric id of a tournament ("classic" 8, "signals" 11, "crypto" 12, any letter case; the
 * ids themselves pass through).
 *
 * @param name - a tournament name or id
 * @returns the id
 * @throws UnknownTournamentError for anything else
 * @example
 * tournamentId("crypto"); // 12
 */
export function tournamentId(name: Tournament): number {
  if (typeof name === "number") {
    if ((Object.values(TOURNAMENTS) as number[]).includes(name)) return name;
    throw new UnknownTournamentError(name);
  }
  const key = typeof name === "string" ? name.toLowerCase() : name;
  if (typeof key === "string" && Object.hasOwn(TOURNAMENTS, key)) return TOURNAMENTS[key as TournamentName];
  throw new UnknownTournamentError(name);
}

/**
 * The name of a tournament id ("classic", "signals", "crypto").
 *
 * @param id - 8, 11 or 12
 * @returns the name
 * @throws UnknownTournamentError for any other id
 * @example
 * tournamentName(11); // "signals"
 */
export function tournamentName(id: number): TournamentName {
  const hit = (Object.keys(TOURNAMENTS) as TournamentName[]).find((k) => TOURNAMENTS[k] === id);
  if (hit === undefined) throw new UnknownTournamentError(id);
  return hit;
}
