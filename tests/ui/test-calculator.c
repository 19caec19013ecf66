/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-budget-table.h"
#include "cb-calculator-page.h"
#include "cb-input-row.h"
#include "cb-json.h"
#include "cb-result-panel.h"

/* Helpers */

/* A named part of the page, of its result panel or of its budget table. */
static gpointer
page_child (CbCalculatorPage *page,
            const char       *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CB_TYPE_CALCULATOR_PAGE, name);

  if (child == NULL)
    {
      GtkWidget *panel = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                    CB_TYPE_CALCULATOR_PAGE,
                                                                    "result_panel"));

      child = gtk_widget_get_template_child (panel, CB_TYPE_RESULT_PANEL, name);
    }
  if (child == NULL)
    {
      GtkWidget *table = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                    CB_TYPE_CALCULATOR_PAGE,
                                                                    "budget_table"));

      child = gtk_widget_get_template_child (table, CB_TYPE_BUDGET_TABLE, name);
    }
  g_assert_nonnull (child);
  return child;
}

static gpointer
row_child (CbInputRow *row,
           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (row), CB_TYPE_INPUT_ROW, name);

  g_assert_nonnull (child);
  return child;
}

static const char *
label_text (CbCalculatorPage *page,
            const char       *name)
{
  return gtk_label_get_label (GTK_LABEL (page_child (page, name)));
}

static gboolean
label_shown (CbCalculatorPage *page,
             const char       *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (page_child (page, name)));
}

static CbInputRow *
row_at (CbCalculatorPage *page,
        guint             index)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page_child (page, "inputs_box")));

  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return CB_INPUT_ROW (child);
}

static guint
count_rows (CbCalculatorPage *page)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page_child (page, "inputs_box")));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
type_into (gpointer    editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static void
type_model (CbCalculatorPage *page,
            const char       *text)
{
  GtkTextView *view = page_child (page, "model_view");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static GListModel *
table_model (CbCalculatorPage *page)
{
  return cb_budget_table_get_lines (page_child (page, "budget_table"));
}

static char *
table_cell (CbCalculatorPage *page,
            guint             row,
            const char       *property)
{
  g_autoptr(GObject) line = g_list_model_get_item (table_model (page), row);
  char *text = NULL;

  g_assert_nonnull (line);
  g_object_get (line, property, &text, NULL);
  return text;
}

static CbCalculatorPage *
new_blank_page (void)
{
  CbCalculatorPage *page = g_object_ref_sink (cb_calculator_page_new ());

  gtk_widget_activate_action (GTK_WIDGET (page), "calculator.new", NULL);
  return page;
}

/* Adds an input as the user would: the "Add Input" action, then typing. */
static CbInputRow *
add_input (CbCalculatorPage *page,
           const char       *name,
           const char       *value,
           CbInputRowKind    kind,
           const char       *param1,
           const char       *param2)
{
  CbInputRow *row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "calculator.add-input", NULL));
  row = row_at (page, count_rows (page) - 1);
  type_into (row_child (row, "name_entry"), name);
  cb_input_row_set_kind (row, kind);
  if (value != NULL)
    type_into (row_child (row, "value_entry"), value);
  if (param1 != NULL)
    type_into (row_child (row, "param1_entry"), param1);
  if (param2 != NULL)
    type_into (row_child (row, "param2_entry"), param2);
  return row;
}

static JsonNode *
load_json_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Tests */

/* The page opens on the GUM H.1 end gauge, whose published results are
 * u_c = 32 nm, ν_eff = 16 and k = t_99(16) = 2.92 (JCGM 100 H.1.6). */
static void
test_example (void)
{
  g_autoptr(CbCalculatorPage) page = g_object_ref_sink (cb_calculator_page_new ());
  g_autofree char *input = NULL;
  g_autofree char *share = NULL;

  g_assert_true (cb_calculator_page_has_result (page));
  g_assert_cmpuint (count_rows (page), ==, 9);
  g_assert_cmpstr (label_text (page, "gum_u_label"), ==, "32");
  g_assert_cmpstr (label_text (page, "gum_dof_label"), ==, "16");
  g_assert_cmpstr (label_text (page, "gum_k_label"), ==, "2.92");
  /* U = 2.92 × 32.4 nm = 94.6 nm: one significant digit (JJF 1059.1), y to
   * the same place. */
  g_assert_cmpstr (label_text (page, "result_label"), ==, "l = 50000840 ± 90");

  /* The table lists the nine inputs in order; ls carries most of u². */
  g_assert_cmpuint (g_list_model_get_n_items (table_model (page)), ==, 9);
  input = table_cell (page, 0, "input");
  share = table_cell (page, 0, "share-text");
  g_assert_cmpstr (input, ==, "ls");
  /* With a no-break space before the sign. */
  g_assert_cmpstr (share, ==, "62.4 %");
}

static void
test_typing (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  GtkStack *stack = page_child (page, "result_stack");
  CbInputRow *a;
  g_autofree char *c = NULL;
  g_autofree char *contribution = NULL;

  g_assert_cmpuint (count_rows (page), ==, 0);
  g_assert_false (cb_calculator_page_has_result (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  type_model (page, "y = 2 * a + b");
  a = add_input (page, "a", "10", CB_INPUT_ROW_KIND_STANDARD, "0.1", NULL);
  add_input (page, "b", "1", CB_INPUT_ROW_KIND_RECTANGULAR, "0.3", NULL);

  /* u_c = √(0.2² + (0.3/√3)²) = 0.265; U = 2 u_c = 0.53, one digit: 0.5. */
  g_assert_true (cb_calculator_page_has_result (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "result");
  g_assert_cmpstr (label_text (page, "result_label"), ==, "y = 21.0 ± 0.5");
  g_assert_cmpstr (label_text (page, "gum_u_label"), ==, "0.26");
  g_assert_cmpuint (g_list_model_get_n_items (table_model (page)), ==, 2);
  c = table_cell (page, 0, "sensitivity");
  contribution = table_cell (page, 0, "contribution");
  g_assert_cmpstr (c, ==, "2.00");
  g_assert_cmpstr (contribution, ==, "0.20");

  /* Editing a field updates the result at once: u_c = √(0.4² + 0.173²). */
  type_into (row_child (a, "param1_entry"), "0.2");
  g_assert_cmpstr (label_text (page, "gum_u_label"), ==, "0.44");
  g_assert_cmpstr (label_text (page, "result_label"), ==, "y = 21.0 ± 0.9");

  /* Removing an input that the model uses leaves an error, not a crash. */
  g_signal_emit_by_name (row_at (page, 1), "remove");
  g_assert_cmpuint (count_rows (page), ==, 1);
  g_assert_false (cb_calculator_page_has_result (page));
  g_assert_true (label_shown (page, "model_error"));
  g_assert_nonnull (strstr (label_text (page, "model_error"), "outputs.y"));
}

static void
test_bad_expression (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  const char *message;

  type_model (page, "y = 3 * x");
  add_input (page, "x", "2", CB_INPUT_ROW_KIND_EXPANDED_K, "0.4", "2");
  g_assert_true (cb_calculator_page_has_result (page));
  g_assert_cmpstr (label_text (page, "result_label"), ==, "y = 6.0 ± 1.2");
  g_assert_false (label_shown (page, "model_error"));

  /* The core's message, with the output and the position, shows under the
   * model; the last result stays, marked as out of date. */
  type_model (page, "y = 3 * (x + ");
  g_assert_false (cb_calculator_page_has_result (page));
  g_assert_true (label_shown (page, "model_error"));
  message = label_text (page, "model_error");
  g_assert_nonnull (strstr (message, "outputs.y"));
  g_assert_nonnull (strstr (message, "position"));
  g_assert_true (label_shown (page, "status_label"));
  g_assert_cmpstr (label_text (page, "result_label"), ==, "y = 6.0 ± 1.2");

  /* An unknown name is named. */
  type_model (page, "y = 3 * z");
  g_assert_false (cb_calculator_page_has_result (page));
  g_assert_nonnull (strstr (label_text (page, "model_error"), "z"));

  /* A line that is not an assignment is pointed at by its number. */
  type_model (page, "y = 3 * x\n3 * x");
  g_assert_nonnull (strstr (label_text (page, "model_error"), "line 2"));

  /* Fixed, it works again and the marks go. */
  type_model (page, "y = 3 * (x + 1)");
  g_assert_true (cb_calculator_page_has_result (page));
  g_assert_false (label_shown (page, "model_error"));
  g_assert_false (label_shown (page, "status_label"));
  g_assert_cmpstr (label_text (page, "result_label"), ==, "y = 9.0 ± 1.2");
}

static void
test_bad_number (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  CbInputRow *x;
  GtkLabel *row_error;

  type_model (page, "y = x");
  x = add_input (page, "x", "1.5", CB_INPUT_ROW_KIND_STANDARD, "0.1", NULL);
  g_assert_true (cb_calculator_page_has_result (page));

  /* Not a number: the row says which field and where. */
  type_into (row_child (x, "value_entry"), "1.5q");
  row_error = row_child (x, "error_label");
  g_assert_true (cb_input_row_has_error (x));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (row_error), "inputs.x.value"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_child (x, "value_entry")), "error"));
  g_assert_false (cb_calculator_page_has_result (page));

  /* A value the core refuses: its message, at the field. */
  type_into (row_child (x, "value_entry"), "1.5");
  type_into (row_child (x, "param1_entry"), "-3");
  g_assert_true (cb_input_row_has_error (x));
  g_assert_nonnull (strstr (gtk_label_get_label (row_error), "inputs.x.u"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_child (x, "param1_entry")), "error"));

  /* Two inputs of one name. */
  type_into (row_child (x, "param1_entry"), "0.1");
  add_input (page, "x", "2", CB_INPUT_ROW_KIND_STANDARD, "0.1", NULL);
  g_assert_true (cb_input_row_has_error (row_at (page, 1)));
  g_assert_nonnull (strstr (gtk_label_get_label (row_child (row_at (page, 1), "error_label")),
                            "defined twice"));

  /* A bad coverage probability and a bad correlation line. */
  type_into (row_child (row_at (page, 1), "name_entry"), "w");
  g_assert_true (cb_calculator_page_has_result (page));
  type_into (page_child (page, "coverage_entry"), "1.5");
  g_assert_false (cb_calculator_page_has_result (page));
  g_assert_true (label_shown (page, "coverage_error"));
  type_into (page_child (page, "coverage_entry"), "0.95");
  g_assert_true (cb_calculator_page_has_result (page));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page_child (page, "correlations_view")),
                            "x, w", -1);
  g_assert_true (label_shown (page, "correlations_error"));
  g_assert_nonnull (strstr (label_text (page, "correlations_error"), "line 1"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page_child (page, "correlations_view")),
                            "x, w, 2", -1);
  g_assert_nonnull (strstr (label_text (page, "correlations_error"), "correlations[0]"));
}

/* A new row takes no part until it is touched, so adding one flags nothing. */
static void
test_new_row_is_quiet (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();

  type_model (page, "y = x");
  add_input (page, "x", "1", CB_INPUT_ROW_KIND_STANDARD, "0.1", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "calculator.add-input", NULL));
  g_assert_cmpuint (count_rows (page), ==, 2);
  g_assert_true (cb_calculator_page_has_result (page));
  g_assert_false (cb_input_row_has_error (row_at (page, 1)));
}

static void
test_round_trip (void)
{
  g_autoptr(CbCalculatorPage) page = g_object_ref_sink (cb_calculator_page_new ());
  g_autoptr(CbCalculatorPage) copy = new_blank_page ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  root = cb_calculator_page_build_json (page, &error);
  g_assert_no_error (error);
  text = cb_json_to_string (root);
  /* Numbers are written as typed, not as their binary neighbours. */
  g_assert_nonnull (strstr (text, "0.95"));
  g_assert_null (strstr (text, "0.9500000"));
  g_assert_nonnull (strstr (text, "0.0000115"));

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (cb_calculator_page_load_json (copy, json_parser_get_root (parser), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (label_text (copy, "result_label"), ==, label_text (page, "result_label"));
  g_assert_cmpuint (count_rows (copy), ==, 9);

  /* Not an object: refused, and the page keeps what it had. */
  {
    g_autoptr(JsonNode) array = json_node_init_array (json_node_alloc (), json_array_new ());

    g_assert_false (cb_calculator_page_load_json (copy, array, &error));
    g_assert_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID);
    g_assert_cmpuint (count_rows (copy), ==, 9);
  }
}

/* Simultaneous observations (GUM H.2) become readings with the correlations
 * their data give; the results stay those of JCGM 100 H.2.3:
 * R = 127.732 Ω with u = 0.071 Ω. */
static void
test_observations (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gum-h2.json", NULL);
  g_autoptr(JsonNode) root = load_json_file (path);
  GtkDropDown *outputs = page_child (page, "output_dropdown");
  GListModel *names;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  g_assert_true (cb_calculator_page_load_json (page, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (page), ==, 3);
  g_assert_cmpint (cb_input_row_get_kind (row_at (page, 0)), ==, CB_INPUT_ROW_KIND_READINGS);
  g_assert_true (cb_calculator_page_has_result (page));

  names = gtk_drop_down_get_model (outputs);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (outputs)));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "R"))
      {
        gtk_drop_down_set_selected (outputs, i);
        found = TRUE;
      }
  g_assert_true (found);
  g_assert_cmpstr (label_text (page, "gum_u_label"), ==, "0.071");
  g_assert_cmpstr (label_text (page, "result_label"), ==, "R = 127.73 ± 0.14");
}

/* A reliability is shown as the degrees of freedom it gives (GUM H.1:
 * 25 % gives 8). */
static void
test_reliability (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CbInputRow *row;

  json_parser_load_from_data (parser,
                              "{\"inputs\": {\"d2\": {\"value\": 0, \"U\": 20, \"k\": 3, \"reliability\": 0.25}},"
                              " \"outputs\": {\"y\": \"d2\"}, \"extra\": 1}",
                              -1, &error);
  g_assert_no_error (error);
  g_assert_true (cb_calculator_page_load_json (page, json_parser_get_root (parser), &error));
  row = row_at (page, 0);
  g_assert_cmpint (cb_input_row_get_kind (row), ==, CB_INPUT_ROW_KIND_EXPANDED_K);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_child (row, "dof_entry"))), ==, "8");
  g_assert_true (cb_calculator_page_has_result (page));
}

static void
test_monte_carlo (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  GtkLabel *mcm_u = page_child (page, "mcm_u_label");

  type_model (page, "y = a + b");
  add_input (page, "a", "1", CB_INPUT_ROW_KIND_STANDARD, "0.3", NULL);
  add_input (page, "b", "2", CB_INPUT_ROW_KIND_STANDARD, "0.4", NULL);
  g_assert_cmpstr (label_text (page, "gum_u_label"), ==, "0.50");
  g_assert_cmpstr (gtk_label_get_label (mcm_u), ==, "—");

  g_assert_true (gtk_widget_activate_action (page_child (page, "result_panel"), "result.monte-carlo", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "mcm_progress"))));

  /* The run ends by itself; the main loop delivers its result. */
  while (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "mcm_progress"))))
    g_main_context_iteration (NULL, TRUE);

  /* A sum of normals stays normal: 10⁶ trials give u = 0.50. */
  g_assert_cmpstr (gtk_label_get_label (mcm_u), ==, "0.50");

  /* Editing marks the run as outdated rather than hiding it. */
  type_into (row_child (row_at (page, 0), "param1_entry"), "0.31");
  g_assert_nonnull (strstr (label_text (page, "mcm_caption"), "Outdated"));
}

/* Enter moves on like Tab, so a row is typed in one go; off the end of a row
 * it goes to the next row's name. */
static void
test_enter_moves_on (void)
{
  g_autoptr(CbCalculatorPage) page = g_object_ref_sink (cb_calculator_page_new ());
  GtkWidget *window = gtk_window_new ();
  CbInputRow *first;
  CbInputRow *second;
  GtkWidget *focus;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  first = row_at (page, 0);
  second = row_at (page, 1);

  gtk_widget_grab_focus (row_child (first, "name_entry"));
  g_signal_emit_by_name (row_child (first, "name_entry"), "activate");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, row_child (first, "value_entry")));

  g_signal_emit_by_name (row_child (first, "dof_entry"), "activate");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, row_child (second, "name_entry")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Save writes what the fields hold; open reads it back. */
static void
test_save_and_open (void)
{
  g_autoptr(CbCalculatorPage) page = new_blank_page ();
  g_autoptr(CbCalculatorPage) other = g_object_ref_sink (cb_calculator_page_new ());
  g_autofree char *directory = g_dir_make_tmp ("calbench-budget-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "budget.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  type_model (page, "y = 0.1 * x");
  add_input (page, "x", "20", CB_INPUT_ROW_KIND_EXPANDED_P, "0.3", "0.95");
  type_into (row_child (row_at (page, 0), "dof_entry"), "9");
  type_into (row_child (row_at (page, 0), "unit_entry"), "mV");
  g_assert_true (cb_calculator_page_has_result (page));

  /* The page names its file in the title once the file is written. */
  cb_calculator_page_save (page, file);
  while (g_strcmp0 (adw_window_title_get_subtitle (page_child (page, "window_title")), "budget.json") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\"y\": \"0.1 * x\""));
  g_assert_nonnull (strstr (contents, "\"p\": 0.95"));
  g_assert_nonnull (strstr (contents, "\"unit\": \"mV\""));

  /* The other page starts on the example (nine inputs) and ends on this. */
  g_assert_cmpuint (count_rows (other), ==, 9);
  cb_calculator_page_open (other, file);
  while (count_rows (other) != 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (label_text (other, "result_label"), ==, label_text (page, "result_label"));
  g_assert_cmpint (cb_input_row_get_kind (row_at (other, 0)), ==, CB_INPUT_ROW_KIND_EXPANDED_P);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (directory), ==, 0);
}

static void
test_screenshot (void)
{
  g_autofree char *directory = g_dir_make_tmp ("calbench-shots-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *bus_runner = g_find_program_in_path ("dbus-run-session");
  const char *name;
  guint pngs = 0;
  gboolean calculator = FALSE;

  g_assert_nonnull (directory);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  /* GtkApplication warns without a session bus; give it one when possible,
   * else do not let that one warning be fatal. */
  if (bus_runner != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, bus_runner, "--", CALBENCH_PROGRAM,
                                           "--screenshot", directory, NULL);
  else
    {
      g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly", TRUE);
      process = g_subprocess_launcher_spawn (launcher, &error, CALBENCH_PROGRAM,
                                             "--screenshot", directory, NULL);
    }
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  dir = g_dir_open (directory, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_str_has_suffix (name, ".png"));
      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (length, >, 1000);
      g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
      g_assert_cmpint (g_remove (path), ==, 0);
      calculator |= g_str_has_prefix (name, "calculator-");
      pngs++;
    }
  /* At least the calculator, named after its page and the language. */
  g_assert_cmpuint (pngs, >=, 1);
  g_assert_true (calculator);
  g_assert_cmpint (g_rmdir (directory), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/calculator/example", test_example);
  g_test_add_func ("/ui/calculator/typing", test_typing);
  g_test_add_func ("/ui/calculator/bad-expression", test_bad_expression);
  g_test_add_func ("/ui/calculator/bad-number", test_bad_number);
  g_test_add_func ("/ui/calculator/new-row-is-quiet", test_new_row_is_quiet);
  g_test_add_func ("/ui/calculator/round-trip", test_round_trip);
  g_test_add_func ("/ui/calculator/observations", test_observations);
  g_test_add_func ("/ui/calculator/reliability", test_reliability);
  g_test_add_func ("/ui/calculator/monte-carlo", test_monte_carlo);
  g_test_add_func ("/ui/calculator/enter-moves-on", test_enter_moves_on);
  g_test_add_func ("/ui/calculator/save-and-open", test_save_and_open);
  g_test_add_func ("/ui/screenshot", test_screenshot);

  return g_test_run ();
}
