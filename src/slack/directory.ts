/**
 * The responder checks ask Slack who someone is (deactivated? a bot? in the on-call group?); this
 * answers through the Web API, so the checks themselves stay free of Slack clients and testable.
 */
import type { SlackDirectory } from '../remediation/responders';
import type { SlackClient } from './poster';

export function slackDirectory(client: SlackClient): SlackDirectory {
  return {
    async userInfo(user) {
      const res = await client.users.info({ user });
      return res.user ?? {};
    },
    async userGroupMembers(usergroup) {
      const res = await client.usergroups.users.list({ usergroup });
      return res.users ?? [];
    },
  };
}
