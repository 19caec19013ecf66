/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-records.h"
#include "cb-store-tasks.h"

static const char * const task_states[] = {
  "to-measure", "measuring", "to-check", "to-approve", "returned", "approved", "cancelled", NULL
};
static const char * const request_states[] = { "requested", "approved", "refused", NULL };

/* A task still to be finished. */
#define OPEN_TASK "t.state NOT IN ('approved', 'cancelled')"

void
cb_task_free (CbTask *task)
{
  if (task == NULL)
    return;
  g_free (task->item);
  g_free (task->bench);
  g_free (task->due);
  g_free (task->state);
  g_free (task->sample_label);
  g_free (task);
}

void
cb_delay_request_free (CbDelayRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->reason);
  g_free (request->new_due);
  g_free (request->state);
  g_free (request);
}

#define TASK_SELECT \
  "SELECT t.id, t.sample_id, t.item, t.method_id, t.assignee_id, t.bench, t.due, t.state, s.label" \
  " FROM tasks t JOIN samples s ON s.id = t.sample_id"

static gpointer
read_task (sqlite3_stmt *stmt)
{
  CbTask *task = g_new0 (CbTask, 1);

  task->id = sqlite3_column_int64 (stmt, 0);
  task->sample_id = sqlite3_column_int64 (stmt, 1);
  task->item = cb_store_column_dup (stmt, 2);
  task->method_id = sqlite3_column_int64 (stmt, 3);
  task->assignee_id = sqlite3_column_int64 (stmt, 4);
  task->bench = cb_store_column_dup (stmt, 5);
  task->due = cb_store_column_dup (stmt, 6);
  task->state = cb_store_column_dup (stmt, 7);
  task->sample_label = cb_store_column_dup (stmt, 8);
  return task;
}

#define REQUEST_COLUMNS "id, task_id, reason, new_due, state, decided_by"

static gpointer
read_request (sqlite3_stmt *stmt)
{
  CbDelayRequest *request = g_new0 (CbDelayRequest, 1);

  request->id = sqlite3_column_int64 (stmt, 0);
  request->task_id = sqlite3_column_int64 (stmt, 1);
  request->reason = cb_store_column_dup (stmt, 2);
  request->new_due = cb_store_column_dup (stmt, 3);
  request->state = cb_store_column_dup (stmt, 4);
  request->decided_by = sqlite3_column_int64 (stmt, 5);
  return request;
}

gint64
cb_store_task_add (CbStore     *store,
                   gint64       sample_id,
                   const char  *item,
                   gint64       method_id,
                   const char  *due,
                   GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("tasks");

  if (!cb_store_expect_row (store, "samples", sample_id, _("task sample"), _("an existing sample"), error) ||
      !cb_store_expect_text (item, _("task item"), _("the name of an item"), error) ||
      (method_id != 0 &&
       !cb_store_expect_row (store, "methods", method_id, _("task method"), _("an existing method"), error)) ||
      !cb_store_expect_date (due, TRUE, _("task due"), error))
    return 0;
  cb_store_row_id (row, "sample_id", sample_id);
  cb_store_row_text (row, "item", item);
  cb_store_row_id (row, "method_id", method_id);
  cb_store_row_text (row, "due", due);
  return cb_store_row_insert (store, row, NULL, error);
}

CbTask *
cb_store_task_get (CbStore  *store,
                   gint64    task_id,
                   GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, TASK_SELECT " WHERE t.id = ?1 AND t.voided = 0", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, task_id);
  return cb_store_read_one (store, stmt, read_task, _("task"), task_id, error);
}

gboolean
cb_store_task_assign (CbStore     *store,
                      gint64       task_id,
                      gint64       assignee_id,
                      const char  *bench,
                      GError     **error)
{
  g_autoptr(CbTask) task = cb_store_task_get (store, task_id, error);
  g_autofree char *reason = NULL;

  if (task == NULL ||
      !cb_store_expect_row (store, "staff", assignee_id, _("task assignee"), _("an existing staff member"), error) ||
      !cb_store_check_authorisation (store, assignee_id, task->item, "perform", error))
    return FALSE;
  reason = g_strdup (task->assignee_id == 0 ? _("task assigned") : _("task reassigned"));
  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update_int (store, "tasks", task_id, "assignee_id", assignee_id, reason, error) ||
      (bench != NULL && !cb_store_update (store, "tasks", task_id, "bench", bench, reason, error)))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

gboolean
cb_store_task_set_state (CbStore     *store,
                         gint64       task_id,
                         const char  *state,
                         const char  *reason,
                         GError     **error)
{
  if (!cb_store_expect_row (store, "tasks", task_id, _("task"), _("an existing task"), error) ||
      !cb_store_expect_one_of (state, task_states, _("task state"), error))
    return FALSE;
  return cb_store_update (store, "tasks", task_id, "state", state, reason, error);
}

GPtrArray *
cb_store_task_list_for_staff (CbStore     *store,
                              gint64       staff_id,
                              const char  *state,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  if (state != NULL && !cb_store_expect_one_of (state, task_states, _("task state"), error))
    return NULL;
  stmt = cb_store_query (store,
                         TASK_SELECT " WHERE t.assignee_id = ?1 AND t.voided = 0 AND (?2 IS NULL OR t.state = ?2)"
                         " ORDER BY t.due IS NULL, t.due, t.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_task, (GDestroyNotify) cb_task_free, error);
}

/* Sunday of the week (Monday to Sunday) holding @date. */
static char *
end_of_week (const char *date)
{
  guint year, month, day;
  GDate d;

  sscanf (date, "%4u-%2u-%2u", &year, &month, &day);
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return cb_store_date_add_days (date, 7 - (int) g_date_get_weekday (&d));
}

gboolean
cb_store_my_tasks (CbStore     *store,
                   gint64       staff_id,
                   const char  *today,
                   CbMyTasks   *counts,
                   GError     **error)
{
  g_autofree char *now = cb_store_today ();
  g_autofree char *sunday = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!cb_store_expect_date (today, TRUE, _("my tasks date"), error))
    return FALSE;
  if (today == NULL)
    today = now;
  sunday = end_of_week (today);

  /* One pass: the first six sums are the person's own tasks; checks and
   * approvals are other people's tasks for which they hold a current
   * authorisation (approvals also need the approver role). */
  stmt = cb_store_query (store,
                         "SELECT"
                         " COALESCE (SUM (t.assignee_id = ?1 AND t.state IN ('to-measure', 'measuring')), 0),"
                         " COALESCE (SUM (t.assignee_id = ?1 AND t.state = 'returned'), 0),"
                         " COALESCE (SUM (t.assignee_id IS NOT ?1 AND t.state = 'to-check' AND EXISTS"
                         "  (SELECT 1 FROM authorisations a WHERE a.staff_id = ?1 AND a.item = t.item"
                         "   AND a.kind = 'check' AND a.voided = 0 AND a.valid_from <= ?2 AND a.valid_until >= ?2)), 0),"
                         " COALESCE (SUM (t.assignee_id IS NOT ?1 AND t.state = 'to-approve' AND EXISTS"
                         "  (SELECT 1 FROM authorisations a WHERE a.staff_id = ?1 AND a.item = t.item"
                         "   AND a.kind = 'approve' AND a.voided = 0 AND a.valid_from <= ?2 AND a.valid_until >= ?2)"
                         "  AND EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = ?1 AND r.role = 'approver'"
                         "   AND r.voided = 0)), 0),"
                         " COALESCE (SUM (t.assignee_id = ?1 AND " OPEN_TASK " AND t.due < ?2), 0),"
                         " COALESCE (SUM (t.assignee_id = ?1 AND " OPEN_TASK " AND t.due >= ?2 AND t.due <= ?3), 0)"
                         " FROM tasks t WHERE t.voided = 0 AND " OPEN_TASK,
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sunday, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      cb_store_set_sqlite_error (store, error, _("my tasks"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  counts->to_measure = (guint) sqlite3_column_int64 (stmt, 0);
  counts->returned = (guint) sqlite3_column_int64 (stmt, 1);
  counts->to_check = (guint) sqlite3_column_int64 (stmt, 2);
  counts->to_approve = (guint) sqlite3_column_int64 (stmt, 3);
  counts->overdue = (guint) sqlite3_column_int64 (stmt, 4);
  counts->due_this_week = (guint) sqlite3_column_int64 (stmt, 5);
  sqlite3_finalize (stmt);
  return TRUE;
}

gint64
cb_store_delay_request_add (CbStore     *store,
                            gint64       task_id,
                            const char  *reason,
                            const char  *new_due,
                            GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("delay_requests");
  g_autoptr(CbTask) task = cb_store_task_get (store, task_id, error);
  sqlite3_stmt *stmt;

  if (task == NULL ||
      !cb_store_expect_text (reason, _("delay reason"), _("why the task needs more time"), error) ||
      !cb_store_expect_date (new_due, FALSE, _("delay new due date"), error))
    return 0;
  if (g_str_equal (task->state, "approved") || g_str_equal (task->state, "cancelled"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("task %lld is %s: only an open task can be delayed"), (long long) task_id, task->state);
      return 0;
    }
  if (task->due != NULL && g_strcmp0 (new_due, task->due) <= 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("delay new due date: expected a date after the current due date %s, not %s"),
                   task->due, new_due);
      return 0;
    }
  stmt = cb_store_query (store, "SELECT COUNT(*) FROM delay_requests WHERE task_id = ?1 AND state = 'requested'"
                         " AND voided = 0", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, task_id);
  if (cb_store_read_int (store, stmt, 0, NULL) > 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("task %lld already has a delay request waiting for a decision"), (long long) task_id);
      return 0;
    }
  cb_store_row_id (row, "task_id", task_id);
  cb_store_row_text (row, "reason", reason);
  cb_store_row_text (row, "new_due", new_due);
  return cb_store_row_insert (store, row, reason, error);
}

gboolean
cb_store_delay_request_decide (CbStore   *store,
                               gint64     request_id,
                               gint64     staff_id,
                               gboolean   approve,
                               GError   **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " REQUEST_COLUMNS " FROM delay_requests WHERE id = ?1 AND voided = 0",
                                       error);
  g_autoptr(CbDelayRequest) request = NULL;
  g_autoptr(CbTask) task = NULL;
  const char *reason = approve ? _("delay approved") : _("delay refused");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, request_id);
  request = cb_store_read_one (store, stmt, read_request, _("delay request"), request_id, error);
  if (request == NULL ||
      !cb_store_expect_row (store, "staff", staff_id, _("delay decided by"), _("an existing staff member"), error))
    return FALSE;
  if (!g_str_equal (request->state, "requested"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("delay request %lld was already %s"), (long long) request_id, request->state);
      return FALSE;
    }
  task = cb_store_task_get (store, request->task_id, error);
  if (task == NULL)
    return FALSE;
  if (task->assignee_id == staff_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("delay request %lld: the assignee cannot decide on their own delay"), (long long) request_id);
      return FALSE;
    }

  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update_int (store, "delay_requests", request_id, "decided_by", staff_id, reason, error) ||
      !cb_store_update (store, "delay_requests", request_id, "state", approve ? "approved" : "refused", reason, error) ||
      (approve && !cb_store_update (store, "tasks", task->id, "due", request->new_due, request->reason, error)))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

GPtrArray *
cb_store_delay_request_list (CbStore     *store,
                             gint64       task_id,
                             const char  *state,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  if (state != NULL && !cb_store_expect_one_of (state, request_states, _("delay request state"), error))
    return NULL;
  stmt = cb_store_query (store,
                         "SELECT " REQUEST_COLUMNS " FROM delay_requests"
                         " WHERE voided = 0 AND (?1 = 0 OR task_id = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, task_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_request, (GDestroyNotify) cb_delay_request_free, error);
}

gint64
cb_store_task_find_for_sample (CbStore  *store,
                               gint64    sample_id,
                               GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM tasks WHERE sample_id = ? AND voided = 0"
                                              " AND state <> 'cancelled' ORDER BY id DESC LIMIT 1", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, sample_id);
  return cb_store_read_int (store, stmt, 0, error);
}

GPtrArray *
cb_store_task_list_to_sign (CbStore     *store,
                            gint64       staff_id,
                            const char  *kind,
                            GError     **error)
{
  static const char * const kinds[] = { "check", "approve", NULL };
  g_autofree char *today = cb_store_today ();
  sqlite3_stmt *stmt;

  if (!cb_store_expect_one_of (kind, kinds, _("signature kind"), error))
    return NULL;
  /* As cb_store_my_tasks() counts them: other people's tasks waiting for a
   * signature that @staff_id holds a current authorisation for. */
  stmt = cb_store_query (store,
                         TASK_SELECT " WHERE t.voided = 0 AND t.assignee_id IS NOT ?1"
                         " AND t.state = CASE ?3 WHEN 'check' THEN 'to-check' ELSE 'to-approve' END"
                         " AND EXISTS (SELECT 1 FROM authorisations a WHERE a.staff_id = ?1 AND a.item = t.item"
                         "  AND a.kind = ?3 AND a.voided = 0 AND a.valid_from <= ?2 AND a.valid_until >= ?2)"
                         " AND (?3 = 'check' OR EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = ?1"
                         "  AND r.role = 'approver' AND r.voided = 0))"
                         " ORDER BY t.due IS NULL, t.due, t.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_task, (GDestroyNotify) cb_task_free, error);
}
