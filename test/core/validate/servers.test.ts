import { describe, expect, it } from 'vitest';
import { base, mailbox, pathsOf, rule, withBase, type Config } from './fixture.js';

describe('V2 server in a site', () => {
  it('V2 flags a Mailbox server without a site', () => {
    const found = rule(withBase({ servers: [{ name: 'EX03', role: 'Mailbox' }] }), 'V2');
    expect(found.map((f) => f.path.join('.'))).toEqual(['servers.2']);
    expect(found[0]!.hint).toContain('site:');
  });

  it('V2 accepts an Edge server without a site (it gets one by subscription)', () => {
    expect(rule(withBase({ servers: [{ name: 'EDGE01', role: 'Edge' }] }), 'V2')).toEqual([]);
  });
});

const dagConfig = (extra: Partial<Config> = {}): Config => ({
  ...base(),
  servers: [mailbox('EX01', 'Paris'), mailbox('EX02', 'Lyon'), mailbox('EX03', 'Paris')],
  databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX01', 'EX02'] }],
  mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['EX01', 'EX02'] }],
  ...extra,
});

describe('V7 DAG members', () => {
  it('V7 accepts a DAG of Mailbox servers in two sites', () => {
    expect(rule(dagConfig(), 'V7')).toEqual([]);
  });

  it('V7 flags a server in two DAGs', () => {
    const config = dagConfig({ databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX01', 'EX02'] }, { name: 'DAG2', members: ['EX03', 'ex02'] }] });
    const found = rule(config, 'V7');
    expect(found.map((f) => f.path.join('.'))).toEqual(['databaseAvailabilityGroups.1.members.1']);
    expect(found[0]!.message).toContain('already a member of DAG DAG1');
  });

  it('V7 flags a member listed twice', () => {
    expect(pathsOf(dagConfig({ databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX01', 'EX02', 'EX01'] }] }), 'V7')).toEqual(['databaseAvailabilityGroups[0].members[2]']);
  });
});

describe('V8 database hosting', () => {
  it('V8 accepts a DAG database whose preference lists members, and a server database without preference', () => {
    const config = dagConfig({
      mailboxDatabases: [
        { name: 'DB01', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['EX02', 'EX01'] },
        { name: 'DB02', masterServerOrAvailabilityGroup: 'EX03' },
        { name: 'DB03', masterServerOrAvailabilityGroup: 'EX03', activationPreference: ['EX03'] },
      ],
    });
    expect(rule(config, 'V8')).toEqual([]);
  });

  it('V8 flags an activation preference naming a server outside the DAG, or twice', () => {
    const config = dagConfig({ mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['EX01', 'EX03', 'EX01'] }] });
    expect(pathsOf(config, 'V8')).toEqual(['mailboxDatabases[0].activationPreference[1]', 'mailboxDatabases[0].activationPreference[2]']);
  });

  it('V8 flags a server database whose preference names another server', () => {
    const config = dagConfig({ mailboxDatabases: [{ name: 'DB02', masterServerOrAvailabilityGroup: 'EX03', activationPreference: ['EX03', 'EX01'] }] });
    expect(pathsOf(config, 'V8')).toEqual(['mailboxDatabases[0].activationPreference[1]']);
  });

  it('V8 flags a database hosted by a DAG member server instead of its DAG', () => {
    const found = rule(dagConfig({ mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'EX01' }] }), 'V8');
    expect(found.map((f) => f.path.join('.'))).toEqual(['mailboxDatabases.0.masterServerOrAvailabilityGroup']);
    expect(found[0]!.hint).toContain('DAG1');
  });
});

describe('database-has-server', () => {
  it('database-has-server flags a database on a DAG without members', () => {
    const config = dagConfig({ databaseAvailabilityGroups: [{ name: 'DAG1', members: [] }], mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'DAG1' }] });
    expect(pathsOf(config, 'database-has-server')).toEqual(['mailboxDatabases[0].masterServerOrAvailabilityGroup']);
  });

  it('database-has-server flags a database on an Edge server', () => {
    const config = withBase({ servers: [{ name: 'EDGE01', role: 'Edge' }], mailboxDatabases: [{ name: 'DB02', masterServerOrAvailabilityGroup: 'EDGE01' }] });
    expect(pathsOf(config, 'database-has-server')).toEqual(['mailboxDatabases[1].masterServerOrAvailabilityGroup']);
  });

  it('database-has-server accepts databases on a Mailbox server and on a DAG with members', () => {
    expect(rule(dagConfig({ mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'DAG1' }, { name: 'DB02', masterServerOrAvailabilityGroup: 'EX03' }] }), 'database-has-server')).toEqual([]);
  });
});
