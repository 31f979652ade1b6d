import type { DeclaredFields, ReadDeclaration } from './declaration';
import { fieldsOf, readDeclared } from './readDeclared';
import { patternSetting } from './settingSchemas';
import type { Env } from './settingValue';

/** How maintenance window schedules are evaluated (docs/schedules.md), each one `Settings` field. */
export const scheduleDeclarations = [
  {
    name: 'WINDOW_SCHEDULE',
    class: 'shared',
    field: 'windowSchedule',
    default: '0 * * * * *',
    schema: patternSetting(
      /^\S+( \S+){5}$/,
      'be an NCRONTAB expression with 6 fields, seconds first',
    ),
    doc: 'When `openWindows` looks for maintenance windows to open: 6-field NCRONTAB, read by the host as `%WINDOW_SCHEDULE%`. A window opens within one such interval of its time.',
  },
] as const satisfies readonly ReadDeclaration[];

export type ScheduleSettings = DeclaredFields<typeof scheduleDeclarations>;

export function readScheduleSettings(env: Env, problems: string[]): ScheduleSettings | undefined {
  const values = readDeclared(env, scheduleDeclarations, problems);
  return values === undefined ? undefined : fieldsOf(scheduleDeclarations, values);
}
