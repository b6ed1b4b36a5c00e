import { randomInt } from "node:crypto";
import type pg from "pg";
import { openSessionConnection, queryRow } from "../db.server";

/**
 * This process as the owner of the e-mails it claims (the send ledger's `claim_owner`).
 *
 * The process holds a session advisory lock, (OWNER_LOCK_CLASS, its owner id), on a connection of
 * its own for as long as it lives. PostgreSQL releases the lock the moment that connection closes,
 * which a process that dies (SIGKILL, a crash, a lost machine) cannot prevent. So any process can
 * tell, in SQL (`ownerAlive`), whether the owner of a `sending` row is still at work: no clocks,
 * no heartbeats. A claim is only made while its owner's lock is held (checked in the claim
 * itself); should the lock's connection be lost, the next claim takes a new owner id.
 */

/** The first key of the owners' advisory locks ("WB" and 1), so they collide with no other lock. */
export const OWNER_LOCK_CLASS = 0x5742_0001;

interface Held {
  id: number;
  client: pg.Client;
}

declare global {
  // One per process, like the pool (app/db.server.ts), also across Vite's dev-server reloads; test teardown ends it.
  var __winbackSendOwner: Promise<Held> | undefined;
}

/** This process's owner id, taking the lock on first use (and again after its connection was lost). */
export async function sendOwner(): Promise<number> {
  if (!globalThis.__winbackSendOwner) {
    const taking = takeOwnerLock();
    globalThis.__winbackSendOwner = taking;
    const forget = () => {
      if (globalThis.__winbackSendOwner === taking) globalThis.__winbackSendOwner = undefined;
    };
    taking.then(({ client }) => client.once("end", forget), forget);
  }
  return (await globalThis.__winbackSendOwner).id;
}

async function takeOwnerLock(): Promise<Held> {
  const client = await openSessionConnection();
  try {
    // Ids are random, so a new process does not take over a dead one's (its rows stay recognisably orphaned).
    for (;;) {
      const id = randomInt(1, 2 ** 31 - 1);
      const taken = await queryRow<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [OWNER_LOCK_CLASS, id], client);
      if (taken?.locked) return { id, client };
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Gives the owner id up (the process is stopping): its claims are settled by then, or count as abandoned. */
export async function releaseSendOwner(): Promise<void> {
  const releasing = globalThis.__winbackSendOwner;
  globalThis.__winbackSendOwner = undefined;
  if (releasing) await (await releasing.catch(() => null))?.client.end();
}

/** SQL: whether the owner whose id is the expression `owner` still holds its lock (is alive), in this database. */
export const ownerAlive = (owner: string) => `EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${OWNER_LOCK_CLASS} AND l.objid = (${owner})::oid AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;
