// How a person is named to people: "<prefix><first> <last>" (นายสมชาย ใจดี), the same in folder names, replies, notes,
// reports and the dashboard. Missing parts are left out; nothing else about names (matching them is identity/'s).
import type { Person } from './types.ts';

export function displayName(person: Pick<Person, 'prefix' | 'firstName' | 'lastName'>): string {
  const first = `${person.prefix ?? ''}${person.firstName ?? ''}`.trim();
  return [first, person.lastName ?? ''].filter(Boolean).join(' ').trim();
}
