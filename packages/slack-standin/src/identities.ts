/**
 * The fixed cast of the local workspace: one team, one incident channel, the bot and two responders.
 * Fixed ids make screenshots, tests and the page's responder switch predictable.
 */
export interface LocalUser {
  id: string;
  /** Slack handle (users.info `name`). */
  name: string;
  realName: string;
  title: string;
  isBot: boolean;
}

export const LOCAL_TEAM = { id: 'T0LOCAL', domain: 'aws-ir-local', name: 'aws-ir local' } as const;
export const LOCAL_CHANNEL = { id: 'C0INCIDENT', name: 'incident' } as const;
export const LOCAL_APP_ID = 'A0AWSIR';
export const LOCAL_BOT = { id: 'B0AWSIR', userId: 'U0AWSIR', name: 'aws-ir' } as const;

export const LOCAL_USERS: readonly LocalUser[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice', title: 'Incident commander', isBot: false },
  { id: 'U0BOB', name: 'bob', realName: 'Bob', title: 'Cloud engineer', isBot: false },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol', title: 'Security analyst', isBot: false },
  { id: LOCAL_BOT.userId, name: LOCAL_BOT.name, realName: 'aws-ir', title: 'App', isBot: true },
];

/** A user group like @ir-responders, for AWS_IR_RESPONDERS=S0RESPONDERS. */
export const LOCAL_USERGROUPS = [{ id: 'S0RESPONDERS', handle: 'ir-responders', name: 'IR responders', users: ['U0ALICE', 'U0BOB'] }] as const;

export function findUser(id: string): LocalUser | undefined {
  return LOCAL_USERS.find((u) => u.id === id);
}

export function humanUsers(): LocalUser[] {
  return LOCAL_USERS.filter((u) => !u.isBot);
}
