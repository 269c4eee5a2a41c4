import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../lib/auth.ts';
import { connect } from '../lib/db.ts';
import { followLog } from '../lib/log-stream.ts';
import { EventQueue } from '../lib/live/stream.ts';
import type { AppealsDatabase } from '../subgraphs/appeals/db/store.ts';
import { lastTimelinePosition, timelineChangesAfter, type TimelineChangeRow } from '../subgraphs/appeals/db/timeline.ts';
import * as tables from '../subgraphs/appeals/db/schema.ts';
import { submitAppeal } from '../subgraphs/appeals/domain/appeals.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/**
 * The timeline's turn (db/timeline.ts `timelineTurn`): an entry's position is taken under a lock
 * held to the commit, so positions commit in order and a stream that read up to one position has
 * seen every entry before it. Here one submission is held open after it took its position (a
 * trigger makes its insert wait for a lock the test holds), a second one is sent meanwhile, and a
 * reader follows the log as the live streams do (lib/log-stream.ts `followLog` over
 * `timelineChangesAfter`). Without the turn the second commits first, the reader moves past it, and
 * the first, committed later with a smaller position, is never read.
 */
let database: TestDatabase;
let appeals: AppealsDatabase;
let holder: postgres.Sql;
const HOLD_KEY = 4242;
const HELD_TEXT = 'Первое обращение: его транзакция ждёт, пока тест её отпустит.';

beforeAll(async () => {
  database = await createTestDatabase();
  appeals = connect(database.url, tables, { max: 4 });
  holder = postgres(database.url, { max: 2, onnotice: () => {} });
  await holder.unsafe(`
    create function appeals.hold_timeline_entry() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from appeals.appeals where id = new.appeal_id and text = '${HELD_TEXT}') then perform pg_advisory_xact_lock(${HOLD_KEY}); end if;
      return new;
    end $$;
    create trigger hold_timeline_entry after insert on appeals.timeline for each row execute function appeals.hold_timeline_entry();`);
});
afterAll(async () => {
  await holder?.end();
  await appeals?.sql.end();
  await database?.drop();
});

/** Whether a transaction waits for an advisory lock: `HOLD_KEY`, or any other (the timeline's turn). */
async function someoneWaits(onHoldKey: boolean): Promise<boolean> {
  const [row] = await holder`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted and (objid = ${HOLD_KEY}) = ${onHoldKey}`;
  return row!.waiting > 0;
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('The timeline turn', () => {
  it('lets a reader following the log get an entry that committed after a later one took its position, in position order', async () => {
    const author: Viewer = { userId: randomUUID(), level: 'CONFIRMED', roles: [], sessionId: null, service: null };
    // Each to another authority: two to one would also wait on its row of queue_counts, and only the turn may order them here.
    const send = (topicId: string, text: string) => submitAppeal(appeals.db, author, { topicId, regionCode: '50', municipality: 'городской округ Химки', text });

    const queue = new EventQueue<TimelineChangeRow>({ limit: 100, onOverflow: () => {} });
    const delivered: TimelineChangeRow[] = [];
    void (async () => {
      for await (const change of queue) delivered.push(change);
    })();
    let reads = 0;
    const wake = followLog(queue, {
      after: await lastTimelinePosition(appeals.db),
      head: () => lastTimelinePosition(appeals.db),
      read: async (position, limit) => {
        const entries = await timelineChangesAfter(appeals.db, { authorId: author.userId, appealId: null }, position, limit);
        reads += 1;
        return entries;
      },
      position: (change) => change.position,
      batch: 10,
    });
    const readNow = async () => {
      const before = reads;
      wake();
      await until(() => reads > before);
    };
    const idOf = (result: Awaited<ReturnType<typeof send>>) => ('appeal' in result ? result.appeal.id : null);

    const hold = await holder.reserve();
    await hold`select pg_advisory_lock(${HOLD_KEY})`;
    const first = send('roads.potholes', HELD_TEXT);
    await until(() => someoneWaits(true)); // the first has its timeline entry, and so its position, and waits
    let secondDone = false;
    const second = send('healthcare', 'Второе обращение, отправленное, пока первое не зафиксировано.').finally(() => (secondDone = true));
    // With the turn the second waits for the first; without, it commits, and the reader reads it.
    await until(async () => secondDone || (await someoneWaits(false)));
    await readNow();

    await hold`select pg_advisory_unlock(${HOLD_KEY})`;
    hold.release();
    const sent = [idOf(await first), idOf(await second)];
    // A third change after both: once the reader has it, it has read everything before it.
    const third = idOf(await send('education', 'Третье обращение, после того как оба зафиксированы.'));
    await readNow();
    await until(() => delivered.some((change) => change.appealId === third));

    expect(delivered.map((change) => change.appealId)).toEqual([...sent, third]);
    expect(delivered.map((change) => change.position)).toEqual(delivered.map((change) => change.position).sort((a, b) => a - b));
    await queue.return();
  });
});
