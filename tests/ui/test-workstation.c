/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cb-certificate-window.h"
#include "cb-instrument-panel.h"
#include "cb-login-page.h"
#include "cb-preferences-window.h"
#include "cb-record-page.h"
#include "cb-session.h"
#include "cb-tasks-page.h"
#include "cb-window.h"
#include "instruments/cb-instrument.h"
#include "instruments/cb-transport.h"
#include "store/cb-store-demo.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-records.h"
#include "store/cb-store-standards.h"
#include "store/cb-store-tasks.h"

/* One demo lab for every test: it takes a few seconds to make. */
static char *lab_dir;
static char *lab_path;

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static void
on_logged_in_notify (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  gboolean *changed = user_data;

  *changed = TRUE;
}

/* Types into the login page and waits for the worker thread's answer. */
static void
log_in (CbLoginPage *page,
        CbSession   *session,
        const char  *login,
        const char  *password)
{
  GtkSpinner *spinner = child (page, CB_TYPE_LOGIN_PAGE, "spinner");

  gtk_editable_set_text (GTK_EDITABLE (child (page, CB_TYPE_LOGIN_PAGE, "login_row")), login);
  gtk_editable_set_text (GTK_EDITABLE (child (page, CB_TYPE_LOGIN_PAGE, "password_row")), password);
  g_signal_emit_by_name (child (page, CB_TYPE_LOGIN_PAGE, "password_row"), "entry-activated");
  g_assert_true (gtk_spinner_get_spinning (spinner));
  while (gtk_spinner_get_spinning (spinner))
    g_main_context_iteration (NULL, TRUE);
}

static CbSession *
logged_in_as (const char *login)
{
  g_autoptr(GError) error = NULL;
  CbSession *session = cb_session_open (lab_path, &error);
  CbLoginPage *page = g_object_ref_sink (g_object_new (CB_TYPE_LOGIN_PAGE, NULL));

  g_assert_no_error (error);
  cb_login_page_set_session (page, session);
  log_in (page, session, login, CB_DEMO_PASSWORD);
  g_assert_true (cb_session_get_logged_in (session));
  g_object_unref (page);
  return session;
}

static CbSession *
logged_in_session (void)
{
  return logged_in_as ("zhang.wei");
}

static void
test_login (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSession) session = cb_session_open (lab_path, &error);
  g_autoptr(CbLoginPage) page = g_object_ref_sink (g_object_new (CB_TYPE_LOGIN_PAGE, NULL));
  GtkLabel *message = child (page, CB_TYPE_LOGIN_PAGE, "error_label");
  gboolean changed = FALSE;

  g_assert_no_error (error);
  cb_login_page_set_session (page, session);
  g_signal_connect (session, "notify::logged-in", G_CALLBACK (on_logged_in_notify), &changed);

  /* An empty password is asked for before anything is checked. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, CB_TYPE_LOGIN_PAGE, "login_row")), "zhang.wei");
  g_signal_emit_by_name (child (page, CB_TYPE_LOGIN_PAGE, "password_row"), "entry-activated");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_false (gtk_spinner_get_spinning (child (page, CB_TYPE_LOGIN_PAGE, "spinner")));

  log_in (page, session, "zhang.wei", "not the password");
  g_assert_false (cb_session_get_logged_in (session));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_cmpstr (gtk_label_get_text (message), !=, "");
  g_assert_false (changed);

  log_in (page, session, "zhang.wei", CB_DEMO_PASSWORD);
  g_assert_true (cb_session_get_logged_in (session));
  g_assert_true (changed);
  g_assert_cmpstr (cb_session_get_staff_name (session), ==, "张伟");
  g_assert_true (cb_session_has_role (session, "metrologist"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));

  cb_session_logout (session);
  g_assert_false (cb_session_get_logged_in (session));
}

static void
on_open_task (CbTasksPage *page,
              gint64       task,
              gpointer     user_data)
{
  *(gint64 *) user_data = task;
}

/* A sample of the logged-in person's that has a record, and its task. */
static char *
sample_with_record (CbSession *session,
                    gint64    *task_out)
{
  CbStore *store = cb_session_get_store (session);
  g_autoptr(GPtrArray) tasks = cb_store_task_list_for_staff (store, cb_session_get_staff_id (session), NULL, NULL);

  g_assert_nonnull (tasks);
  for (guint i = 0; i < tasks->len; i++)
    {
      CbTask *task = g_ptr_array_index (tasks, i);

      if (cb_store_record_find_for_task (store, task->id, NULL) != 0
          && cb_store_task_find_for_sample (store, task->sample_id, NULL) == task->id)
        {
          *task_out = task->id;
          return g_strdup (task->sample_label);
        }
    }
  g_assert_not_reached ();
}

/* Someone with nothing assigned reads so in the list itself, however
 * often the page is reloaded. */
static void
test_nothing_assigned (void)
{
  g_autoptr(CbSession) session = logged_in_as ("wu.hong");
  g_autoptr(CbTasksPage) page = g_object_ref_sink (g_object_new (CB_TYPE_TASKS_PAGE, NULL));
  GtkListBox *list = child (page, CB_TYPE_TASKS_PAGE, "task_list");
  GtkWidget *empty = child (page, CB_TYPE_TASKS_PAGE, "empty_label");

  cb_tasks_page_set_session (page, session);
  cb_tasks_page_reload (page);
  cb_tasks_page_reload (page);
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  g_assert_true (gtk_widget_get_parent (empty) == GTK_WIDGET (list));
  g_assert_true (gtk_widget_get_visible (empty));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (empty)), ==, "Nothing is assigned to you.");
  /* What waits for the approver's signature is listed apart. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (child (page, CB_TYPE_TASKS_PAGE, "sign_list"), 0));
}

static void
test_scan_opens_task (void)
{
  g_autoptr(CbSession) session = logged_in_session ();
  g_autoptr(CbTasksPage) page = g_object_ref_sink (g_object_new (CB_TYPE_TASKS_PAGE, NULL));
  GtkFlowBox *counts = child (page, CB_TYPE_TASKS_PAGE, "counts");
  GtkListBox *list = child (page, CB_TYPE_TASKS_PAGE, "task_list");
  GtkSearchEntry *scan = child (page, CB_TYPE_TASKS_PAGE, "scan_entry");
  gint64 opened = 0, expected = 0;
  g_autofree char *label = sample_with_record (session, &expected);
  g_autofree char *typed = g_strdup_printf ("  %s  ", label);
  guint tiles = 0;

  cb_tasks_page_set_session (page, session);
  g_signal_connect (page, "open-task", G_CALLBACK (on_open_task), &opened);
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (counts)); w != NULL; w = gtk_widget_get_next_sibling (w))
    tiles++;
  g_assert_cmpuint (tiles, ==, 6);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));

  /* A barcode scanner types the number and Enter. */
  gtk_editable_set_text (GTK_EDITABLE (scan), typed);
  g_signal_emit_by_name (scan, "activate");
  g_assert_cmpint (opened, ==, expected);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scan)), ==, "");

  /* An unknown number opens nothing and stays there to be corrected. */
  opened = 0;
  gtk_editable_set_text (GTK_EDITABLE (scan), "YP00000000-9999");
  g_signal_emit_by_name (scan, "activate");
  g_assert_cmpint (opened, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scan)), ==, "YP00000000-9999");

  /* A task row opens its task too. */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpint (opened, >, 0);
}

/* The first record (its id, and its task in @task) @sql selects as
 * "SELECT r.id, r.task_id …" from the lab. */
static gint64
find_record (const char *sql,
             gint64     *task)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 record;

  g_assert_cmpint (sqlite3_open (lab_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  record = sqlite3_column_int64 (stmt, 0);
  *task = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return record;
}

static gboolean
grid_has_text (GtkWidget  *widget,
               const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (grid_has_text (w, text))
      return TRUE;
  return FALSE;
}

/* Tables make their rows when they are laid out: the page goes into a
 * shown window, and the main loop runs until every table has its size. */
static gboolean
tables_laid_out (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget) && gtk_widget_get_width (widget) == 0)
    return FALSE;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (!tables_laid_out (w))
      return FALSE;
  return TRUE;
}

/* Every table shows its first rows, not only its header: @n_tables
 * counts them. */
static void
assert_tables_show_rows (GtkWidget *widget,
                         guint     *n_tables)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

      /* A header is about 45 pixels, a row about 40. */
      g_assert_cmpint (gtk_widget_get_height (scroller), >, 80);
      (*n_tables)++;
      return;
    }
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    assert_tables_show_rows (w, n_tables);
}

static gboolean
show_task (CbRecordPage *page,
           gint64        task,
           GError      **error)
{
  GtkRoot *root;

  if (!cb_record_page_show_task (page, task, error))
    return FALSE;
  root = gtk_widget_get_root (GTK_WIDGET (page));
  if (root == NULL)
    {
      GtkWidget *window = gtk_window_new ();

      gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
      root = GTK_ROOT (window);
    }
  gtk_window_present (GTK_WINDOW (root));
  while (!tables_laid_out (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

static void
test_record_shows_computed_cells (void)
{
  g_autoptr(CbSession) session = logged_in_session ();
  g_autoptr(CbRecordPage) page = g_object_ref_sink (g_object_new (CB_TYPE_RECORD_PAGE, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autofree char *label = NULL;
  gint64 task = 0;
  const char *conclusion = NULL;
  CbCell cell;
  CbTemplate *tmpl;
  g_autofree char *first_cell = NULL;

  label = sample_with_record (session, &task);
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_record_page_get_record (page), >, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, CB_TYPE_RECORD_PAGE, "stack")), ==, "record");

  /* What the page shows is what the engine computes from the store. */
  record = cb_store_record_load (cb_session_get_store (session), cb_record_page_get_record (page), &error);
  g_assert_no_error (error);
  tmpl = cb_record_get_template (record);
  g_assert_true (grid_has_text (GTK_WIDGET (page), cb_template_get_block_title (tmpl, 0)));
  first_cell = g_strdup_printf ("%s/1/%s", cb_template_get_block_name (tmpl, 0), cb_template_get_block_nominal (tmpl, 0));
  g_assert_true (cb_record_get_cell (record, first_cell, &cell, NULL));
  g_assert_true (grid_has_text (GTK_WIDGET (page), cell.text));
  if (cb_record_get_conclusion (record, &conclusion) != CB_CONCLUSION_INCOMPLETE)
    g_assert_true (grid_has_text (GTK_WIDGET (page), conclusion));
}

static GtkWidget *
find_entry (GtkWidget  *widget,
            const char *prefix)
{
  const char *cell = g_object_get_data (G_OBJECT (widget), "cb-cell");

  if (GTK_IS_ENTRY (widget) && cell != NULL && g_str_has_prefix (cell, prefix))
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_entry (w, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_point_button (GtkWidget *widget,
                   guint      block,
                   guint      point)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_has_css_class (widget, "cb-point-button")
      && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "cb-block")) == block
      && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "cb-point")) == point)
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_point_button (w, block, point);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Typing a new value into a measured cell asks why, keeps the old value in
 * the history, and the computed cells follow. */
static void
test_edit_with_reason (void)
{
  g_autoptr(CbSession) session = logged_in_session ();
  CbStore *store = cb_session_get_store (session);
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  g_autoptr(GPtrArray) tasks = cb_store_task_list_for_staff (store, cb_session_get_staff_id (session), "measuring", NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(CbRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry = NULL;
  GtkWidget *reason;
  g_autofree char *id = NULL;
  g_autofree char *old = NULL;
  g_autofree char *changed = NULL;
  gint64 record = 0;
  CbCell cell;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  for (guint i = 0; tasks != NULL && i < tasks->len && entry == NULL; i++)
    {
      CbTask *task = g_ptr_array_index (tasks, i);

      if (cb_store_record_find_for_task (store, task->id, NULL) == 0)
        continue;
      g_assert_true (show_task (page, task->id, &error));
      g_assert_no_error (error);
      entry = find_entry (GTK_WIDGET (page), "indication/");
    }
  g_assert_nonnull (entry);
  record = cb_record_page_get_record (page);
  id = g_strdup (g_object_get_data (G_OBJECT (entry), "cb-cell"));
  old = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_assert_cmpstr (old, !=, "");

  /* A new value: the number moves on by one in its last digit. */
  changed = g_strdup (old);
  changed[strlen (changed) - 1] = changed[strlen (changed) - 1] == '9' ? '8' : changed[strlen (changed) - 1] + 1;
  gtk_editable_set_text (GTK_EDITABLE (entry), changed);
  g_signal_emit_by_name (entry, "activate");
  dialog = find_dialog ("Why Change This Value?");
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  reason = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (reason), "读数看错");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "change"));
  adw_message_dialog_response (dialog, "change");

  history = cb_store_reading_history (store, record, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >=, 2);
  g_assert_true (((CbStoredReading *) g_ptr_array_index (history, history->len - 2))->voided);
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, history->len - 2))->void_reason, ==, "读数看错");
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, history->len - 1))->value, ==, changed);

  /* The store has it, and what the page computes agrees with it. */
  saved = cb_store_record_load (store, record, &error);
  g_assert_no_error (error);
  g_assert_true (cb_record_get_cell (saved, id, &cell, NULL));
  g_assert_cmpstr (cell.text, ==, changed);

  /* Signed as performer with the password again, it goes to its checker. */
  {
    GtkWidget *sign = child (page, CB_TYPE_RECORD_PAGE, "sign_button");
    GtkWidget *stack = child (page, CB_TYPE_RECORD_PAGE, "stack");
    g_autofree char *record_text = g_strdup_printf ("%lld", (long long) record);
    g_autofree char *state = NULL;
    g_autofree char *task_state = NULL;
    g_autofree char *task_id = NULL;

    g_assert_true (gtk_widget_get_visible (sign));
    g_signal_emit_by_name (sign, "clicked");
    dialog = find_dialog ("Sign as Performer");
    g_assert_nonnull (dialog);
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), CB_DEMO_PASSWORD);
    adw_message_dialog_response (dialog, "sign");
    g_assert_false (gtk_widget_get_sensitive (stack));
    while (!gtk_widget_get_sensitive (stack))
      g_main_context_iteration (NULL, TRUE);

    state = cb_store_get_field (store, "records", record, "state", NULL);
    g_assert_cmpstr (state, ==, "performed");
    task_id = cb_store_get_field (store, "records", record, "task_id", NULL);
    task_state = cb_store_get_field (store, "tasks", g_ascii_strtoll (task_id, NULL, 10), "state", NULL);
    g_assert_cmpstr (task_state, ==, "to-check");
    g_assert_false (gtk_widget_get_visible (sign));
    g_assert_true (cb_store_record_verify (store, record, &error));
    g_assert_no_error (error);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A checker finds what waits for them, checks it and signs. */
/* The first entry of a table's first point. */
static GtkWidget *
find_first_point_entry (GtkWidget *widget)
{
  const char *id = g_object_get_data (G_OBJECT (widget), "cb-cell");

  if (GTK_IS_ENTRY (widget) && id != NULL && strstr (id, "/1/") != NULL)
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_first_point_entry (w);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_cell (GtkWidget  *widget,
           const char *id)
{
  if (GTK_IS_ENTRY (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "cb-cell"), id) == 0)
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_cell (w, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The cell that has the keyboard, or NULL. */
static const char *
focused_cell (GtkWidget *page)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (page));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (GTK_IS_ENTRY (focus))
      return g_object_get_data (G_OBJECT (focus), "cb-cell");
  return NULL;
}

/* The tables move like a spreadsheet: Enter goes down a point, Tab right
 * to the next cell of the same point. */
static void
test_table_keyboard (void)
{
  g_autoptr(CbSession) session = logged_in_session ();
  CbStore *store = cb_session_get_store (session);
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  g_autoptr(GPtrArray) tasks = cb_store_task_list_for_staff (store, cb_session_get_staff_id (session), "measuring", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) right = NULL;
  g_autofree char *below = NULL;
  GtkWidget *entry = NULL;
  const char *id;

  cb_record_page_set_session (page, session);
  for (guint i = 0; tasks != NULL && i < tasks->len && entry == NULL; i++)
    {
      CbTask *task = g_ptr_array_index (tasks, i);

      if (cb_store_record_find_for_task (store, task->id, NULL) == 0)
        continue;
      g_assert_true (show_task (page, task->id, &error));
      g_assert_no_error (error);
      entry = find_first_point_entry (GTK_WIDGET (page));
    }
  g_assert_nonnull (entry);
  id = g_object_get_data (G_OBJECT (entry), "cb-cell");
  first = g_strsplit (id, "/", 0);
  below = g_strdup_printf ("%s/2/%s", first[0], id + strlen (first[0]) + strlen (first[1]) + 2);
  g_assert_nonnull (find_cell (GTK_WIDGET (page), below));

  /* Enter, the value unchanged: the same column, one point down. */
  gtk_widget_grab_focus (entry);
  g_assert_cmpstr (focused_cell (GTK_WIDGET (page)), ==, id);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (focused_cell (GTK_WIDGET (page)), ==, below);

  /* Tab: the next cell of the same point. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page))), GTK_DIR_TAB_FORWARD));
  g_assert_nonnull (focused_cell (GTK_WIDGET (page)));
  right = g_strsplit (focused_cell (GTK_WIDGET (page)), "/", 0);
  g_assert_cmpstr (right[0], ==, first[0]);
  g_assert_cmpstr (right[1], ==, "2");
  g_assert_cmpstr (focused_cell (GTK_WIDGET (page)), !=, below);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));
}

static gboolean
give_up (gpointer data)
{
  g_error ("%s", (const char *) data);
  return G_SOURCE_REMOVE;
}

static void
collect_points (GtkWidget  *widget,
                GHashTable *points)
{
  const char *id = g_object_get_data (G_OBJECT (widget), "cb-cell");
  g_auto(GStrv) parts = id != NULL ? g_strsplit (id, "/", 0) : NULL;

  if (parts != NULL && g_strv_length (parts) >= 3)
    g_hash_table_add (points, g_strdup (parts[1]));
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    collect_points (w, points);
}

/* A block of hundreds of points: the table makes rows for what is in view
 * only, and Enter walks down past the bottom of the view. */
static void
test_long_table (void)
{
  g_autoptr(CbSession) session = logged_in_session ();
  CbStore *store = cb_session_get_store (session);
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  g_autoptr(GPtrArray) tasks = cb_store_task_list_for_staff (store, cb_session_get_staff_id (session), "measuring", NULL);
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbRecord) original = NULL;
  g_autoptr(JsonArray) points = json_array_new ();
  g_autofree char *id = NULL;
  g_autofree char *block = NULL;
  g_autofree char *column = NULL;
  gint64 task = 0, record_id = 0;
  GtkWidget *entry;
  guint guard;

  for (guint i = 0; tasks != NULL && i < tasks->len && record_id == 0; i++)
    {
      task = ((CbTask *) g_ptr_array_index (tasks, i))->id;
      record_id = cb_store_record_find_for_task (store, task, NULL);
    }
  g_assert_cmpint (record_id, >, 0);
  record = cb_store_record_load (store, record_id, &error);
  g_assert_no_error (error);
  original = cb_store_record_load (store, record_id, &error);
  g_assert_no_error (error);
  block = g_strdup (cb_template_get_block_name (cb_record_get_template (record), 0));
  for (guint p = 0; p < 300; p++)
    {
      JsonObject *point = json_object_new ();
      g_autofree char *nominal = g_strdup_printf ("%u", p + 1);

      json_object_set_string_member (point, "nominal", nominal);
      json_array_add_object_element (points, point);
    }
  g_assert_true (cb_record_set_points (record, block, points, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_record_save (store, record_id, cb_session_get_staff_id (session), record,
                                       "三百个检定点", &error));
  g_assert_no_error (error);

  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  collect_points (GTK_WIDGET (page), shown);
  g_assert_cmpuint (g_hash_table_size (shown), >, 1);
  g_assert_cmpuint (g_hash_table_size (shown), <, 300);

  /* Enter forty times from the first point of the first column typed in. */
  entry = find_first_point_entry (GTK_WIDGET (page));
  g_assert_nonnull (entry);
  id = g_strdup (g_object_get_data (G_OBJECT (entry), "cb-cell"));
  g_assert_true (g_str_has_prefix (id, block));
  column = g_strdup (id + strlen (block) + strlen ("/1/"));
  gtk_widget_grab_focus (entry);
  guard = g_timeout_add_seconds (60, give_up, (gpointer) "Enter did not reach the point below");
  for (guint p = 2; p <= 41; p++)
    {
      g_autofree char *expected = g_strdup_printf ("%s/%u/%s", block, p, column);
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
      GtkWidget *focus = gtk_root_get_focus (root);

      while (focus != NULL && !GTK_IS_ENTRY (focus))
        focus = gtk_widget_get_parent (focus);
      g_assert_nonnull (focus);
      g_signal_emit_by_name (focus, "activate");
      while (g_strcmp0 (focused_cell (GTK_WIDGET (page)), expected) != 0)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (guard);
  g_hash_table_remove_all (shown);
  collect_points (GTK_WIDGET (page), shown);
  g_assert_true (g_hash_table_contains (shown, "41"));
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));

  /* The method's points again, for the tests after this one. */
  g_assert_true (cb_store_record_save (store, record_id, cb_session_get_staff_id (session), original,
                                       "恢复规程的检定点", &error));
  g_assert_no_error (error);
}

static void
test_checker_signs (void)
{
  g_autoptr(CbSession) session = logged_in_as ("sun.li");
  CbStore *store = cb_session_get_store (session);
  g_autoptr(CbTasksPage) tasks = g_object_ref_sink (g_object_new (CB_TYPE_TASKS_PAGE, NULL));
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  GtkListBox *waiting = child (tasks, CB_TYPE_TASKS_PAGE, "sign_list");
  GtkWidget *sign = child (page, CB_TYPE_RECORD_PAGE, "sign_button");
  GtkWidget *stack = child (page, CB_TYPE_RECORD_PAGE, "stack");
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *state = NULL;
  gint64 task = 0, record;

  cb_tasks_page_set_session (tasks, session);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (waiting)));
  g_signal_connect (tasks, "open-task", G_CALLBACK (on_open_task), &task);
  g_signal_emit_by_name (waiting, "row-activated", gtk_list_box_get_row_at_index (waiting, 0));
  g_assert_cmpint (task, >, 0);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  record = cb_record_page_get_record (page);
  /* A checker reads; only the performer types. */
  g_assert_null (find_entry (GTK_WIDGET (page), ""));
  g_assert_true (gtk_widget_get_visible (sign));
  g_assert_true (gtk_widget_get_visible (child (page, CB_TYPE_RECORD_PAGE, "return_button")));

  g_signal_emit_by_name (sign, "clicked");
  dialog = find_dialog ("Sign as Checker");
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), CB_DEMO_PASSWORD);
  adw_message_dialog_response (dialog, "sign");
  while (!gtk_widget_get_sensitive (stack))
    g_main_context_iteration (NULL, TRUE);

  state = cb_store_get_field (store, "records", record, "state", NULL);
  g_assert_cmpstr (state, ==, "checked");
  g_assert_false (gtk_widget_get_visible (sign));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The checker returns a record with a reason: the Return button of the
 * dialog waits for one. */
static void
test_return_with_reason (void)
{
  g_autoptr(CbSession) session = logged_in_as ("sun.li");
  g_autoptr(CbTasksPage) tasks = g_object_ref_sink (g_object_new (CB_TYPE_TASKS_PAGE, NULL));
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  GtkListBox *waiting = child (tasks, CB_TYPE_TASKS_PAGE, "sign_list");
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *reason = NULL;
  AdwMessageDialog *dialog;
  gint64 task = 0, record;

  cb_tasks_page_set_session (tasks, session);
  g_signal_connect (tasks, "open-task", G_CALLBACK (on_open_task), &task);
  g_assert_nonnull (gtk_list_box_get_row_at_index (waiting, 0));
  g_signal_emit_by_name (waiting, "row-activated", gtk_list_box_get_row_at_index (waiting, 0));
  g_assert_cmpint (task, >, 0);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  record = cb_record_page_get_record (page);

  g_signal_emit_by_name (child (page, CB_TYPE_RECORD_PAGE, "return_button"), "clicked");
  dialog = find_dialog ("Return to the Performer?");
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "return"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "return"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "第 3 点读数漏记");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "return"));
  adw_message_dialog_response (dialog, "return");

  state = cb_store_get_field (cb_session_get_store (session), "records", record, "state", NULL);
  reason = cb_store_get_field (cb_session_get_store (session), "records", record, "return_reason", NULL);
  g_assert_cmpstr (state, ==, "returned");
  g_assert_cmpstr (reason, ==, "第 3 点读数漏记");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The bench's instruments measure a point of a multimeter record: the
 * simulated calibrator sources, the simulated multimeter reads it. */
static void
test_run_procedure (void)
{
  g_autoptr(CbSession) session = logged_in_as ("li.qiang");
  CbStore *store = cb_session_get_store (session);
  const char *argv[] = { CALBENCH_SIM, "--bench", "--seed", "11", NULL };
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *calibrator = NULL;
  g_autofree char *multimeter = NULL;
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  GtkRevealer *bar = child (page, CB_TYPE_RECORD_PAGE, "procedure_bar");
  GtkWidget *run = child (page, CB_TYPE_RECORD_PAGE, "run_button");
  gint64 record = 0, task = 0;
  CbRecord *shown;
  CbCell cell;

  sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  calibrator = g_data_input_stream_read_line (out, NULL, NULL, &error);
  multimeter = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  cb_session_set_instrument_port (session, "calibrator", calibrator + strlen ("calibrator "));
  cb_session_set_instrument_port (session, "uut", multimeter + strlen ("multimeter "));

  /* li.qiang's multimeter record that is still being measured. */
  record = find_record ("SELECT r.id, r.task_id FROM records r"
                        " JOIN template_versions v ON v.id = r.template_version_id"
                        " JOIN staff s ON s.id = r.performer_id"
                        " WHERE v.document LIKE '%jjf1587%' AND s.login = 'li.qiang'"
                        " AND r.state = 'draft' ORDER BY r.id DESC LIMIT 1", &task);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (run));
  /* The multimeter's tables are wider than the window. */
  {
    guint n_tables = 0;

    assert_tables_show_rows (GTK_WIDGET (page), &n_tables);
    g_assert_cmpuint (n_tables, >=, 4);
  }

  /* The 10 V point's readings are cleared, with a reason, to be measured. */
  for (guint k = 1; k <= 10; k++)
    {
      g_autofree char *id = g_strdup_printf ("dcv/3/r/%u", k);
      g_autoptr(CbRecord) loaded = cb_store_record_load (store, record, &error);

      g_assert_no_error (error);
      g_assert_true (cb_store_record_enter (store, record, cb_session_get_staff_id (session), loaded, id, "", NULL,
                                            "重新测量", &error));
      g_assert_no_error (error);
    }
  g_assert_true (show_task (page, task, &error));

  /* The instrument panel reads the bench live; the procedure takes the
   * ports over from it. */
  {
    CbInstrumentPanel *panel = child (page, CB_TYPE_RECORD_PAGE, "instrument_panel");
    GtkToggleButton *show = child (page, CB_TYPE_RECORD_PAGE, "instruments_button");

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (show)));
    gtk_toggle_button_set_active (show, TRUE);
    gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
    gtk_window_present (GTK_WINDOW (window));
    cb_instrument_panel_set_live (panel, TRUE);
    while (cb_instrument_panel_get_n_open_ports (panel) < 2)
      g_main_context_iteration (NULL, TRUE);
  }

  g_signal_emit_by_name (run, "clicked");
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  while (gtk_revealer_get_reveal_child (bar))
    g_main_context_iteration (NULL, TRUE);

  /* Measured: the cells hold the multimeter's readings of 10 V, stored
   * with the instrument that gave them. */
  shown = cb_store_record_load (store, record, &error);
  g_assert_no_error (error);
  g_assert_true (cb_record_get_cell (shown, "dcv/3/r/4", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_OK);
  g_assert_cmpfloat_with_epsilon (cell.value, 10.0, 0.001);
  cb_record_free (shown);
  history = cb_store_reading_history (store, record, "dcv/3/r/4", &error);
  g_assert_no_error (error);
  /* The demo's reading, voided with the reason, then the measured one. */
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_true (((CbStoredReading *) g_ptr_array_index (history, 0))->voided);
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, 0))->void_reason, ==, "重新测量");
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, history->len - 1))->source, ==, "instrument");
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Acquire reads the multimeter once into the reading under the cursor;
   * replacing a measured value says why on its own. */
  {
    GtkWidget *acquire = child (page, CB_TYPE_RECORD_PAGE, "acquire_button");
    GtkWidget *entry = find_entry (GTK_WIDGET (page), "dcv/3/r/5");
    const CbStoredReading *last;
    CbSourceSettings ten_volts = { CB_QUANTITY_DC_VOLTAGE, 10.0, 0 };
    CbTransport *transport = cb_transport_open (calibrator + strlen ("calibrator "), NULL, NULL, &error);
    g_autoptr(CbInstrument) source = NULL;

    /* The metrologist sets the calibrator to 10 V by hand. */
    g_assert_no_error (error);
    source = cb_instrument_open (transport, cb_driver_find ("calibrator"), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (cb_instrument_source (source, &ten_volts, NULL, &error));
    g_assert_no_error (error);

    g_assert_true (gtk_widget_get_visible (acquire));
    gtk_window_present (GTK_WINDOW (window));
    gtk_widget_grab_focus (entry);
    g_signal_emit_by_name (acquire, "clicked");
    g_assert_false (gtk_widget_get_sensitive (acquire));
    while (!gtk_widget_get_sensitive (acquire))
      g_main_context_iteration (NULL, TRUE);

    history = cb_store_reading_history (store, record, "dcv/3/r/5", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (history->len, ==, 3);
    g_assert_true (((CbStoredReading *) g_ptr_array_index (history, 1))->voided);
    g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, 1))->void_reason, ==,
                     "acquired again from the instrument");
    last = g_ptr_array_index (history, 2);
    g_assert_cmpstr (last->source, ==, "instrument");
    g_assert_false (last->voided);
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (last->value, NULL), 10.0, 0.001);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, last->value);
  }

  /* The measured point's number opens its uncertainty budget. */
  {
    g_autoptr(CbRecord) measured = cb_store_record_load (store, record, &error);
    GtkWidget *view;

    g_assert_no_error (error);
    g_assert_nonnull (find_point_button (GTK_WIDGET (page), 0, 3));
    view = g_object_ref_sink (cb_point_budget_view_new (measured, 0, 3));
    g_assert_true (grid_has_text (view, "Uncertainty budget of point 3"));
    g_assert_true (grid_has_text (view, "Combined standard uncertainty"));
    g_assert_true (grid_has_text (view, "校准源"));
    g_object_unref (view);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_output_stream_close (g_subprocess_get_stdin_pipe (sim), NULL, NULL);
  g_subprocess_wait (sim, NULL, NULL);
}

static gboolean
has_visible_label (GtkWidget  *widget,
                   const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (has_visible_label (w, text))
      return TRUE;
  return FALSE;
}

/* The conditions a record has not stated come from the room's environment
 * log, with the sensor as their source; out of the method's limits, the
 * page says so. */
static void
test_environment_from_log (void)
{
  g_autoptr(CbSession) session = logged_in_as ("li.qiang");
  CbStore *store = cb_session_get_store (session);
  g_autoptr(CbRecordPage) page = g_object_ref_sink (g_object_new (CB_TYPE_RECORD_PAGE, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(CbRecord) loaded = NULL;
  const char * const *warnings;
  const CbStoredReading *last;
  gint64 record = 0, task = 0;
  CbCell cell;

  record = find_record ("SELECT r.id, r.task_id FROM records r"
                        " JOIN staff s ON s.id = r.performer_id"
                        " WHERE s.login = 'li.qiang' AND r.state IN ('draft', 'returned')"
                        " ORDER BY r.id LIMIT 1", &task);

  /* The temperature is cleared; the room's sensor logged 20.4 °C a moment ago. */
  loaded = cb_store_record_load (store, record, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_record_enter (store, record, cb_session_get_staff_id (session), loaded, "temperature", "",
                                        NULL, "重新记录", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_environment_add (store, "恒温室 3", "TH-T9", time, "20.4", "99", NULL, &error), >, 0);
  g_assert_no_error (error);

  cb_session_set_room (session, "恒温室 3");
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);

  g_clear_pointer (&loaded, cb_record_free);
  loaded = cb_store_record_load (store, record, &error);
  g_assert_no_error (error);
  g_assert_true (cb_record_get_cell (loaded, "temperature", &cell, NULL));
  g_assert_cmpstr (cell.text, ==, "20.4");
  /* The humidity the record stated stays. */
  g_assert_true (cb_record_get_cell (loaded, "humidity", &cell, NULL));
  g_assert_cmpstr (cell.text, !=, "99");
  history = cb_store_reading_history (store, record, "temperature", &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (history, history->len - 1);
  g_assert_cmpstr (last->source, ==, "instrument");
  g_assert_nonnull (strstr (last->instrument, "TH-T9"));
  g_assert_cmpstr (last->taken_at, ==, time);
  g_assert_true (grid_has_text (GTK_WIDGET (page), "18 … 22 °C"));

  /* 25 °C is outside the method's 18 … 22 °C: the page says so. */
  g_assert_true (cb_store_record_enter (store, record, cb_session_get_staff_id (session), loaded, "temperature", "25",
                                        NULL, "空调故障", &error));
  g_assert_no_error (error);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  warnings = cb_record_get_warnings (loaded);
  g_assert_nonnull (warnings);
  g_assert_nonnull (warnings[0]);
  g_assert_true (has_visible_label (GTK_WIDGET (page), warnings[0]));
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (list)); w != NULL; w = gtk_widget_get_next_sibling (w))
    n += GTK_IS_LIST_BOX_ROW (w);
  return n;
}

/* Locking leaves nobody logged in; the same person's password brings back
 * the open record; "Switch User" lets someone else in, who sees only the
 * pages of their roles. */
static void
test_lock_and_roles (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSession) session = cb_session_open (lab_path, &error);
  CbWindow *window;
  GtkStack *shell, *stack;
  CbLoginPage *login;
  CbRecordPage *record;
  GtkListBox *sidebar;
  gint64 task = 0;
  g_autofree char *label = NULL;

  g_assert_no_error (error);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  cb_session_set_room (session, "电学室");
  window = cb_window_new (app, NULL, session, FALSE);
  shell = child (window, CB_TYPE_WINDOW, "shell");
  stack = child (window, CB_TYPE_WINDOW, "stack");
  login = child (window, CB_TYPE_WINDOW, "login_page");
  record = child (window, CB_TYPE_WINDOW, "record_page");
  sidebar = child (window, CB_TYPE_WINDOW, "sidebar");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (shell), ==, "login");

  log_in (login, session, "zhang.wei", CB_DEMO_PASSWORD);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (shell), ==, "main");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "tasks");
  g_assert_cmpuint (count_rows (sidebar), ==, 3);
  g_assert_cmpstr (adw_window_title_get_subtitle (child (window, CB_TYPE_WINDOW, "sidebar_title")), ==, "张伟 · 电学室");

  label = sample_with_record (session, &task);
  g_signal_emit_by_name (child (window, CB_TYPE_WINDOW, "tasks_page"), "open-task", task);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "record");
  g_assert_cmpint (cb_record_page_get_task (record), ==, task);

  /* Locked: nobody is logged in, the user is filled in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  g_assert_false (cb_session_get_logged_in (session));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (shell), ==, "login");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (login, CB_TYPE_LOGIN_PAGE, "login_row"))), ==, "zhang.wei");
  g_assert_true (gtk_widget_get_visible (child (login, CB_TYPE_LOGIN_PAGE, "switch_button")));

  /* The same password: back at the same record. */
  log_in (login, session, "zhang.wei", CB_DEMO_PASSWORD);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "record");
  g_assert_cmpint (cb_record_page_get_task (record), ==, task);

  /* Someone else: reception has no bench pages. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  g_signal_emit_by_name (child (login, CB_TYPE_LOGIN_PAGE, "switch_button"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (login, CB_TYPE_LOGIN_PAGE, "login_row"))), ==, "");
  g_assert_false (gtk_widget_get_visible (child (login, CB_TYPE_LOGIN_PAGE, "switch_button")));
  log_in (login, session, "liu.min", CB_DEMO_PASSWORD);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (shell), ==, "main");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "calculator");
  g_assert_cmpuint (count_rows (sidebar), ==, 1);
  g_assert_cmpint (cb_record_page_get_task (record), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A widget named @name under @widget. */
static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
wait_logged (CbEnvironmentLogger *logger,
             guint                n)
{
  while (cb_environment_logger_get_n_logged (logger) < n)
    {
      g_assert_null (cb_environment_logger_get_error (logger));
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The room's sensor, logged while the workstation runs: the sidebar shows
 * it, the instrument panel shows the log's side of it, and the room at
 * 23 °C is marked once a record measured at 18 to 22 °C is open. */
static void
test_room_sensor (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GSettings) settings = g_settings_new ("org.calbench.Calbench");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSession) session = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *port = NULL;
  const char *argv[] = { CALBENCH_SIM, "--instrument", "thermohygrometer", "--seed", "9", NULL };
  CbEnvironmentLogger *logger;
  CbRecordPage *page;
  CbWindow *window;
  GtkLabel *label;
  GtkWidget *row;
  gint64 task = 0;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  port = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);

  session = cb_session_open (lab_path, &error);
  g_assert_no_error (error);
  cb_session_set_room (session, "温湿度传感器室");
  cb_session_set_instrument_port (session, "sensor", port);
  /* The first reading at once, the next when asked. */
  cb_session_set_environment_sensor (session, port, 3600);
  logger = cb_session_get_environment_logger (session);
  g_assert_nonnull (logger);

  window = cb_window_new (app, settings, session, FALSE);
  label = child (window, CB_TYPE_WINDOW, "environment_label");
  log_in (child (window, CB_TYPE_WINDOW, "login_page"), session, "li.qiang", CB_DEMO_PASSWORD);
  wait_logged (logger, 1);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "23."));
  g_assert_nonnull (strstr (gtk_label_get_text (label), " %RH"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "RS-WS-N01"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));

  /* li.qiang's multimeter record, measured at 18 to 22 °C. */
  find_record ("SELECT r.id, r.task_id FROM records r"
               " JOIN template_versions v ON v.id = r.template_version_id"
               " JOIN staff s ON s.id = r.performer_id"
               " WHERE v.document LIKE '%jjf1587%' AND s.login = 'li.qiang'"
               " AND r.state = 'draft' ORDER BY r.id DESC LIMIT 1", &task);
  g_signal_emit_by_name (child (window, CB_TYPE_WINDOW, "tasks_page"), "open-task", task);
  page = child (window, CB_TYPE_WINDOW, "record_page");
  g_assert_cmpint (cb_record_page_get_task (page), ==, task);

  /* The last reading is judged by the method's limits at once. */
  g_assert_true (cb_environment_logger_get_alarmed (logger));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "outside its limits 18 to 22 °C"));
  cb_environment_logger_poll (logger);
  wait_logged (logger, 2);
  g_assert_true (cb_environment_logger_get_alarmed (logger));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));

  /* Wider limits (another method): the mark goes. */
  cb_environment_logger_set_limits (logger, CB_QUANTITY_TEMPERATURE, 15, 25);
  g_assert_false (cb_environment_logger_get_alarmed (logger));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));
  g_assert_null (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "outside"));

  /* The panel never opens the sensor's port: it shows the log. */
  row = find_named (GTK_WIDGET (page), "sensor");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (row, "state"))), ==,
                   "Logging the room every 3600 seconds");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find_named (row, "reading"))), "23."));
  g_assert_false (gtk_widget_get_visible (find_named (row, "reconnect")));

  /* Another interval in the preferences applies at once. */
  g_settings_set_uint (settings, "environment-interval", 1800);
  {
    guint interval = 0;

    g_object_get (logger, "interval", &interval, NULL);
    g_assert_cmpuint (interval, ==, 1800);
  }
  wait_logged (logger, 3);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (row, "state"))), ==,
                   "Logging the room every 1800 seconds");

  /* The sensor unplugged: the panel says so and offers to read again. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (sim), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (sim, NULL, &error);
  g_assert_no_error (error);
  cb_environment_logger_poll (logger);
  while (cb_environment_logger_get_error (logger) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find_named (row, "state"))), "Error: "));
  g_assert_true (gtk_widget_get_visible (find_named (row, "reconnect")));

  cb_session_logout (session);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The sidebar says where the bench stands with the lab server: nothing set,
 * or a server that cannot be reached (offline, the changes kept here). */
/* The sidebar shows the room's conditions from the environment log, with
 * the sensor and the time; a room with nothing logged says so. */
static void
test_room_conditions (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  const char *rooms[] = { "恒温室", "无传感器的库房" };

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_autoptr(CbSession) session = cb_session_open (lab_path, &error);
      CbWindow *window;
      GtkLabel *label;

      g_assert_no_error (error);
      if (i == 0)
        {
          g_assert_cmpint (cb_store_environment_add (cb_session_get_store (session), rooms[i], "TH-恒温-01", at,
                                                     "20.4", "47", NULL, &error), >, 0);
          g_assert_no_error (error);
        }
      cb_session_set_room (session, rooms[i]);
      window = cb_window_new (app, NULL, session, FALSE);
      label = child (window, CB_TYPE_WINDOW, "environment_label");
      log_in (child (window, CB_TYPE_WINDOW, "login_page"), session, "zhang.wei", CB_DEMO_PASSWORD);
      g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (label))));
      if (i == 0)
        {
          g_assert_cmpstr (gtk_label_get_text (label), ==, "20.4 °C · 47 %RH");
          g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "TH-恒温-01"));
        }
      else
        g_assert_cmpstr (gtk_label_get_text (label), ==, "No conditions logged");
      cb_session_logout (session);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_sync_state (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSession) alone = cb_session_open (lab_path, &error);
  g_autoptr(CbSession) session = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  CbWindow *window;
  GtkLabel *label;
  guint16 port;

  g_assert_no_error (error);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = cb_window_new (app, NULL, alone, FALSE);
  label = child (window, CB_TYPE_WINDOW, "sync_label");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Not syncing");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "No lab server"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A port that nothing listens on any more. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  session = cb_session_open (lab_path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_session_set_server (session, url, NULL, &error));
  g_assert_no_error (error);
  window = cb_window_new (app, NULL, session, FALSE);
  label = child (window, CB_TYPE_WINDOW, "sync_label");
  log_in (child (window, CB_TYPE_WINDOW, "login_page"), session, "zhang.wei", CB_DEMO_PASSWORD);
  while (cb_sync_client_get_state (cb_session_get_sync_client (session)) != CB_SYNC_STATE_OFFLINE)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "Offline"));
  cb_session_logout (session);
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type,
              const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_by_type (w, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The standards picker offers only usable standards and says why the others
 * cannot be used; another one replaces the record's with a reason. */
static void
test_standards_picker (void)
{
  g_autoptr(CbSession) session = logged_in_as ("li.qiang");
  CbStore *store = cb_session_get_store (session);
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStandardUsage) before = NULL;
  g_autoptr(CbStandardUsage) after = NULL;
  GtkWidget *button, *list, *chosen = NULL;
  AdwMessageDialog *dialog;
  guint usable = 0, unusable = 0;
  gint64 record = 0, task = 0, standard;

  record = find_record ("SELECT r.id, r.task_id FROM records r"
                        " JOIN template_versions v ON v.id = r.template_version_id"
                        " JOIN staff s ON s.id = r.performer_id"
                        " WHERE v.document LIKE '%jjf1587%' AND s.login = 'li.qiang'"
                        " AND r.state IN ('draft', 'returned') ORDER BY r.id LIMIT 1", &task);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  before = cb_store_record_standard (store, record, "calibrator", &error);
  g_assert_no_error (error);
  g_assert_nonnull (before);

  button = find_by_type (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON, "cb-standard-button");
  g_assert_nonnull (button);
  list = find_by_type (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))), GTK_TYPE_LIST_BOX, NULL);
  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "cb-standard"));

      if (!gtk_widget_get_sensitive (row))
        {
          unusable++;
          g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "cannot be used"));
          g_assert_cmpint (cb_store_standard_check_usable (store, id, NULL, NULL), !=, CB_STANDARD_USABLE);
        }
      else
        {
          usable++;
          /* Usable ones first. */
          g_assert_cmpuint (unusable, ==, 0);
          if (chosen == NULL && id != before->standard_id)
            chosen = row;
        }
    }
  g_assert_cmpuint (usable, >, 1);
  g_assert_cmpuint (unusable, >, 0);
  g_assert_nonnull (chosen);
  standard = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (chosen), "cb-standard"));

  g_signal_emit_by_name (list, "row-activated", chosen);
  dialog = find_dialog ("Why Change the Standard?");
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "原校准源送检");
  adw_message_dialog_response (dialog, "change");
  after = cb_store_record_standard (store, record, "calibrator", &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->standard_id, ==, standard);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The preview window, once its PDF is drawn (on a worker thread). */
static CbCertificateWindow *
wait_for_preview (GListModel *toplevels)
{
  for (;;)
    {
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

          if (CB_IS_CERTIFICATE_WINDOW (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
            return CB_CERTIFICATE_WINDOW (item);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

/* An approved record's certificate, drawn by Poppler from its PDF. */
static void
test_certificate_preview (void)
{
  g_autoptr(CbSession) session = logged_in_as ("wu.hong");
  GtkWidget *window = gtk_window_new ();
  CbRecordPage *page = g_object_new (CB_TYPE_RECORD_PAGE, NULL);
  GtkWidget *button = child (page, CB_TYPE_RECORD_PAGE, "certificate_button");
  g_autoptr(GError) error = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  CbCertificateWindow *preview = NULL;
  GtkWidget *print;
  gint64 task = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (lab_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT r.task_id FROM records r JOIN template_versions v"
                                           " ON v.id = r.template_version_id WHERE r.state = 'approved'"
                                           " AND v.document LIKE '%jjg52-2013%' ORDER BY r.id LIMIT 1",
                                   -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  task = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  cb_record_page_set_session (page, session);
  g_assert_true (show_task (page, task, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  preview = wait_for_preview (toplevels);
  g_assert_cmpuint (cb_certificate_window_get_n_pages (preview), >=, 2);
  gtk_window_destroy (GTK_WINDOW (preview));

  /* The original record, printed with the same layout code. */
  print = child (page, CB_TYPE_RECORD_PAGE, "print_record_button");
  g_assert_true (gtk_widget_get_visible (print));
  g_signal_emit_by_name (print, "clicked");
  preview = wait_for_preview (toplevels);
  g_assert_cmpuint (cb_certificate_window_get_n_pages (preview), >=, 2);
  gtk_window_destroy (GTK_WINDOW (preview));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each preference row writes its key. */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.calbench.Calbench");
  CbPreferencesWindow *window = cb_preferences_window_new (NULL, settings);
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *language = NULL;

  gtk_editable_set_text (GTK_EDITABLE (child (window, CB_TYPE_PREFERENCES_WINDOW, "server_row")),
                         "https://lab.example:8443");
  gtk_editable_set_text (GTK_EDITABLE (child (window, CB_TYPE_PREFERENCES_WINDOW, "calibrator_row")), "/dev/ttyUSB3");
  adw_combo_row_set_selected (child (window, CB_TYPE_PREFERENCES_WINDOW, "language_row"), 2);
  gtk_spin_button_set_value (child (window, CB_TYPE_PREFERENCES_WINDOW, "interval_spin"), 120);
  g_assert_cmpuint (g_settings_get_uint (settings, "environment-interval"), ==, 120);
  g_settings_set_uint (settings, "environment-interval", 300);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (window, CB_TYPE_PREFERENCES_WINDOW, "interval_spin")), ==, 300);
  server = g_settings_get_string (settings, "server-url");
  port = g_settings_get_string (settings, "calibrator-port");
  language = g_settings_get_string (settings, "language");
  g_assert_cmpstr (server, ==, "https://lab.example:8443");
  g_assert_cmpstr (port, ==, "/dev/ttyUSB3");
  g_assert_cmpstr (language, ==, "zh_CN");

  /* And shows what the settings hold. */
  g_settings_set_string (settings, "language", "en");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, CB_TYPE_PREFERENCES_WINDOW, "language_row")), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_screenshots_of_the_lab (void)
{
  g_autofree char *directory = g_dir_make_tmp ("calbench-lab-shots-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bus_runner = g_find_program_in_path ("dbus-run-session");
  const char *pages[] = { "login", "tasks", "record", "instruments", "calculator" };

  if (bus_runner == NULL)
    {
      g_test_skip ("dbus-run-session is not installed");
      return;
    }
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, bus_runner, "--", CALBENCH_PROGRAM, "--db", lab_path,
                                         "--room", "电学室", "--calibrator", "/dev/null", "--multimeter", "/dev/null",
                                         "--demo-login", "zhang.wei", "--screenshot", directory, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-en.png", pages[i]);
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        g_error ("no screenshot of the %s page", pages[i]);
      g_assert_cmpuint (length, >, 1000);
      g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (directory), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  CbStore *store;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Windows here come and go without a window manager to activate them:
   * a blinking cursor would outlive the focus it never saw leave. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  lab_dir = g_dir_make_tmp ("calbench-ui-lab-XXXXXX", NULL);
  lab_path = g_build_filename (lab_dir, "lab.db", NULL);
  store = cb_store_open (lab_path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_demo_populate (store, &error));
  g_assert_no_error (error);
  cb_store_close (store);

  g_test_add_func ("/ui/workstation/login", test_login);
  g_test_add_func ("/ui/workstation/scan-opens-task", test_scan_opens_task);
  g_test_add_func ("/ui/workstation/record-shows-computed-cells", test_record_shows_computed_cells);
  g_test_add_func ("/ui/workstation/table-keyboard", test_table_keyboard);
  g_test_add_func ("/ui/workstation/long-table", test_long_table);
  g_test_add_func ("/ui/workstation/edit-with-reason", test_edit_with_reason);
  g_test_add_func ("/ui/workstation/checker-signs", test_checker_signs);
  g_test_add_func ("/ui/workstation/return-with-reason", test_return_with_reason);
  g_test_add_func ("/ui/workstation/run-procedure", test_run_procedure);
  g_test_add_func ("/ui/workstation/environment-from-log", test_environment_from_log);
  g_test_add_func ("/ui/workstation/lock-and-roles", test_lock_and_roles);
  g_test_add_func ("/ui/workstation/sync-state", test_sync_state);
  g_test_add_func ("/ui/workstation/room-conditions", test_room_conditions);
  g_test_add_func ("/ui/workstation/room-sensor", test_room_sensor);
  g_test_add_func ("/ui/workstation/nothing-assigned", test_nothing_assigned);
  g_test_add_func ("/ui/workstation/standards-picker", test_standards_picker);
  g_test_add_func ("/ui/workstation/preferences", test_preferences);
  g_test_add_func ("/ui/workstation/certificate-preview", test_certificate_preview);
  g_test_add_func ("/ui/workstation/screenshots", test_screenshots_of_the_lab);

  status = g_test_run ();

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (lab_path, suffixes[i], NULL);

        g_unlink (path);
      }
    g_rmdir (lab_dir);
  }
  return status;
}
