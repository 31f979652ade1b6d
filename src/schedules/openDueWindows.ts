import { allPages } from '../core/page';
import { describeError } from '../core/logger';
import { evaluateSchedule } from './evaluateSchedule';
import type { ScheduleDeps } from './scheduleDeps';

export interface OpenWindowsReport {
  schedules: number;
  opened: number;
  skipped: number;
  failed: number;
}

/**
 * The `openWindows` tick: every schedule is evaluated on its own, so one that fails (its hub
 * query refused, say) is logged and tried again next tick without holding up the others.
 */
export async function openDueWindows(deps: ScheduleDeps): Promise<OpenWindowsReport> {
  const report: OpenWindowsReport = { schedules: 0, opened: 0, skipped: 0, failed: 0 };
  const pages = allPages((continuationToken) =>
    deps.schedules.list({
      pageSize: 100,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    }),
  );
  for await (const page of pages) {
    for (const schedule of page.items) await evaluateInto(report, schedule.scheduleId, deps);
  }
  return report;
}

async function evaluateInto(
  report: OpenWindowsReport,
  scheduleId: string,
  deps: ScheduleDeps,
): Promise<void> {
  report.schedules++;
  try {
    const evaluation = await evaluateSchedule(scheduleId, deps);
    report.opened += evaluation.opened;
    report.skipped += evaluation.skipped;
  } catch (error) {
    report.failed++;
    deps.logger.warn('openWindows: could not evaluate a schedule', {
      scheduleId,
      error: describeError(error),
    });
  }
}
