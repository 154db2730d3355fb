// pipelines/reminders: Chasing what is missing before the deadline: the office calendar, each step's time, and who is
// due which reminder (persons, unit digests). Pure: the clock, the archive's state and staff settings are passed in.
export * from './calendar.ts';
export * from './keys.ts';
export * from './recipients.ts';
export * from './schedule.ts';
export * from './types.ts';
export * from './states.ts';
