/**
 * The relay's users for AUTH PLAIN/LOGIN (R45 BasicAuth, R57 step 4): a JSON file with one entry per
 * user, the password as a salted scrypt hash, and the sender addresses the user owns.
 *
 *   { "version": 1, "users": [ { "name": "bob", "addresses": ["bob@contoso.com"],
 *       "scrypt": { "N": 16384, "r": 8, "p": 1, "salt": "<base64>", "hash": "<base64>" } } ] }
 *
 * Security: the file holds no password, only hashes; it is written atomically with mode 0600.
 * Comparison is constant-time. An unknown user costs the same scrypt as a known one.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../../io/atomic-write.js';

/** scrypt cost: N=2^14, r=8, p=1 (RFC 7914's interactive-login parameters), 16-byte salt, 32-byte key. */
const COST = { N: 16_384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

export interface UserEntry {
  name: string;
  addresses: string[];
  scrypt: { N: number; r: number; p: number; salt: string; hash: string };
}

interface UsersDocument {
  version: 1;
  users: UserEntry[];
}

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function readUsers(file: string): Promise<UserEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const doc = JSON.parse(text) as Partial<UsersDocument>;
  if (doc.version !== 1 || !Array.isArray(doc.users)) throw new Error(`${file} is not an mxt users file (version 1)`);
  return doc.users;
}

async function writeUsers(file: string, users: UserEntry[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const content = `${JSON.stringify({ version: 1, users } satisfies UsersDocument, null, 2)}\n`;
  await atomicWrite(file, content, { mode: 0o600 });
  await chmod(file, 0o600); // also when an older file had a wider mode
}

/** Add a user or replace its password and addresses. */
export async function addUser(file: string, name: string, password: string, addresses: string[]): Promise<'added' | 'updated'> {
  const users = await readUsers(file);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, COST);
  const entry: UserEntry = { name, addresses, scrypt: { ...COST, salt: salt.toString('base64'), hash: hash.toString('base64') } };
  const index = users.findIndex((u) => u.name === name);
  if (index >= 0) users[index] = entry;
  else users.push(entry);
  await writeUsers(file, users);
  return index >= 0 ? 'updated' : 'added';
}

export async function removeUser(file: string, name: string): Promise<boolean> {
  const users = await readUsers(file);
  const rest = users.filter((u) => u.name !== name);
  if (rest.length === users.length) return false;
  await writeUsers(file, rest);
  return true;
}

const DUMMY_SALT = Buffer.alloc(SALT_BYTES);

/** The user when the password matches; read from the file at each call, so `user add` needs no restart. */
export async function verifyUser(file: string, name: string, password: string): Promise<UserEntry | undefined> {
  const users = await readUsers(file);
  const user = users.find((u) => u.name === name);
  const salt = user ? Buffer.from(user.scrypt.salt, 'base64') : DUMMY_SALT;
  const cost = user ? { N: user.scrypt.N, r: user.scrypt.r, p: user.scrypt.p } : COST;
  const key = await derive(password, salt, cost);
  if (!user) return undefined;
  const expected = Buffer.from(user.scrypt.hash, 'base64');
  return expected.length === key.length && timingSafeEqual(expected, key) ? user : undefined;
}
