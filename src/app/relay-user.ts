/** Use case `mxt relay user add|remove`: the relay's AUTH users (scrypt hashes) in `<data dir>/users.json`. */
import { UserError } from '../errors.js';
import { addUser, removeUser } from '../relay/users/users-file.js';
import { dataDirOf } from '../relay/queue/data-dir.js';
import { usersFileOf } from './relay-front-door.js';

export interface RelayUserOptions {
  cwd?: string;
  dataDir?: string;
  name: string;
}

export async function relayUserAdd(options: RelayUserOptions & { password: string; addresses: string[] }): Promise<{ file: string; outcome: 'added' | 'updated' }> {
  if (!/^[^\s:]{1,256}$/.test(options.name)) throw new UserError(`user name "${options.name}" must be 1–256 characters without spaces or colons`);
  if (options.password.length === 0) throw new UserError('the password is empty', 'give it on stdin or with --password-env VAR');
  const file = usersFileOf(dataDirOf(options));
  return { file, outcome: await addUser(file, options.name, options.password, options.addresses) };
}

export async function relayUserRemove(options: RelayUserOptions): Promise<{ file: string }> {
  const file = usersFileOf(dataDirOf(options));
  if (!(await removeUser(file, options.name))) throw new UserError(`no user "${options.name}" in ${file}`);
  return { file };
}
