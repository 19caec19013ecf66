/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-budget-table.h"
#include "cb-calculator-page.h"
#include "core/cb-format.h"
#include "cb-input-row.h"
#include "cb-json.h"
#include "cb-result-panel.h"
#include "core/cb-budget.h"

#define EXAMPLE_RESOURCE "/org/calbench/Calbench/budgets/end-gauge.json"
/* Toasts about a file that did not open as written; more would bury the page. */
#define MAX_NOTE_TOASTS  3

/* Where an output is written in the model text, to point errors at it. */
typedef struct
{
  char  *name;
  guint  line;
} ModelLine;

struct _CbCalculatorPage
{
  GtkWidget          parent_instance;

  /* Template children */
  AdwWindowTitle    *window_title;
  AdwToastOverlay   *toast_overlay;
  GtkEntry          *description_entry;
  GtkTextView       *model_view;
  GtkLabel          *model_error;
  GtkEntry          *report_entry;
  GtkLabel          *inputs_label;
  GtkLabel          *inputs_count_label;
  GtkWidget         *inputs_header;
  GtkWidget         *inputs_box;
  GtkWidget         *inputs_empty_label;
  GtkWidget         *add_input_button;
  GtkTextView       *correlations_view;
  GtkLabel          *correlations_error;
  GtkDropDown       *coverage_dropdown;
  GtkEntry          *coverage_entry;
  GtkLabel          *coverage_error;
  GtkCheckButton    *second_order_check;
  CbResultPanel     *result_panel;
  CbBudgetTable     *budget_table;
  GtkSizeGroup      *name_group;
  GtkSizeGroup      *value_group;
  GtkSizeGroup      *unit_group;
  GtkSizeGroup      *kind_group;
  GtkSizeGroup      *parameters_group;
  GtkSizeGroup      *dof_group;
  GtkSizeGroup      *remove_group;

  GtkTextTag        *model_error_tag;
  GtkTextTag        *correlations_error_tag;
  GArray            *model_lines;         /* of ModelLine */
  GArray            *correlation_lines;   /* of guint: correlations[i] → line */

  GSettings         *settings;
  gboolean           folded;
  GFile             *file;
  guint              freeze;

  GCancellable      *io_cancellable;
  GtkNativeDialog   *chooser;
};

G_DEFINE_FINAL_TYPE (CbCalculatorPage, cb_calculator_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void recompute (CbCalculatorPage *self);

/* Helpers */

static void
model_line_clear (gpointer data)
{
  ModelLine *line = data;

  g_clear_pointer (&line->name, g_free);
}

static char *
view_dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
view_set_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static char *
entry_dup_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* The words of a list typed by hand: separated by commas, semicolons or
 * spaces, empty ones dropped. */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,;]+", text, 0, 0);

  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));
  return words;
}

static void
show_label_message (GtkLabel   *label,
                    const char *message)
{
  gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}

static void
show_toast (CbCalculatorPage *self,
            const char       *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
tag_line (GtkTextView *view,
          GtkTextTag  *tag,
          guint        line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  if (!gtk_text_buffer_get_iter_at_line (buffer, &start, (int) line))
    return;
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
}

static void
untag_all (GtkTextView *view,
           GtkTextTag  *tag)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, tag, &start, &end);
}

/* Rows */

static CbInputRow *
first_row (CbCalculatorPage *self)
{
  GtkWidget *child = gtk_widget_get_first_child (self->inputs_box);

  return child != NULL ? CB_INPUT_ROW (child) : NULL;
}

static CbInputRow *
next_row (CbInputRow *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));

  return next != NULL ? CB_INPUT_ROW (next) : NULL;
}

static guint
count_rows (CbCalculatorPage *self)
{
  guint n = 0;

  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    n++;
  return n;
}

static CbInputRow *
find_row (CbCalculatorPage *self,
          const char       *name)
{
  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    {
      g_autofree char *row_name = cb_input_row_dup_name (row);

      if (g_strcmp0 (row_name, name) == 0 && cb_input_row_get_edited (row))
        return row;
    }
  return NULL;
}

static void
update_inputs_state (CbCalculatorPage *self)
{
  guint n = count_rows (self);
  g_autofree char *count = NULL;
  CbInputRow *first = first_row (self);

  gtk_widget_set_visible (self->inputs_header, n > 0);
  gtk_widget_set_visible (self->inputs_box, n > 0);
  gtk_widget_set_visible (self->inputs_empty_label, n == 0);
  if (n > 0)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", n), n);
  gtk_label_set_label (self->inputs_count_label, count != NULL ? count : "");
  gtk_label_set_mnemonic_widget (self->inputs_label,
                                 first != NULL ? GTK_WIDGET (first) : self->add_input_button);
}

static void
on_row_changed (CbInputRow       *row,
                CbCalculatorPage *self)
{
  recompute (self);
}

static void
on_row_remove (CbInputRow       *row,
               CbCalculatorPage *self)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));
  GtkWidget *previous = gtk_widget_get_prev_sibling (GTK_WIDGET (row));

  /* Keep the keyboard user in the list rather than dropping focus. */
  if (next != NULL)
    cb_input_row_focus (CB_INPUT_ROW (next));
  else if (previous != NULL)
    cb_input_row_focus (CB_INPUT_ROW (previous));
  else
    gtk_widget_grab_focus (self->add_input_button);

  gtk_box_remove (GTK_BOX (self->inputs_box), GTK_WIDGET (row));
  update_inputs_state (self);
  recompute (self);
}

static void
on_row_activate_last (CbInputRow       *row,
                      CbCalculatorPage *self)
{
  CbInputRow *next = next_row (row);

  if (next != NULL)
    cb_input_row_focus (next);
  else
    gtk_widget_grab_focus (self->add_input_button);
}

static CbInputRow *
add_row (CbCalculatorPage *self)
{
  GtkSizeGroup *groups[CB_INPUT_ROW_N_COLUMNS] = {
    [CB_INPUT_ROW_COLUMN_NAME] = self->name_group,
    [CB_INPUT_ROW_COLUMN_VALUE] = self->value_group,
    [CB_INPUT_ROW_COLUMN_UNIT] = self->unit_group,
    [CB_INPUT_ROW_COLUMN_KIND] = self->kind_group,
    [CB_INPUT_ROW_COLUMN_PARAMETERS] = self->parameters_group,
    [CB_INPUT_ROW_COLUMN_DOF] = self->dof_group,
    [CB_INPUT_ROW_COLUMN_REMOVE] = self->remove_group,
  };
  CbInputRow *row = cb_input_row_new ();

  cb_input_row_add_to_size_groups (row, groups);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed), self, 0);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove), self, 0);
  g_signal_connect_object (row, "activate-last", G_CALLBACK (on_row_activate_last), self, 0);
  gtk_box_append (GTK_BOX (self->inputs_box), GTK_WIDGET (row));
  update_inputs_state (self);
  return row;
}

static void
remove_all_rows (CbCalculatorPage *self)
{
  CbInputRow *row;

  while ((row = first_row (self)) != NULL)
    gtk_box_remove (GTK_BOX (self->inputs_box), GTK_WIDGET (row));
  update_inputs_state (self);
}

/* Building the budget */

static void
clear_errors (CbCalculatorPage *self)
{
  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    cb_input_row_clear_error (row);

  show_label_message (self->model_error, NULL);
  show_label_message (self->correlations_error, NULL);
  show_label_message (self->coverage_error, NULL);
  untag_all (self->model_view, self->model_error_tag);
  untag_all (self->correlations_view, self->correlations_error_tag);
  gtk_widget_remove_css_class (GTK_WIDGET (self->report_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->coverage_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->description_entry), "error");
}

/* Keeps the first message for the caller, and shows each where it belongs. */
static void
note_failure (char       **first,
              const char  *message)
{
  if (*first == NULL)
    *first = g_strdup (message);
}

static void
append_label_message (GtkLabel   *label,
                      const char *message)
{
  const char *shown = gtk_label_get_label (label);

  if (gtk_widget_get_visible (GTK_WIDGET (label)) && shown != NULL && *shown != '\0')
    {
      g_autofree char *both = g_strdup_printf ("%s\n%s", shown, message);

      show_label_message (label, both);
    }
  else
    {
      show_label_message (label, message);
    }
}

static gboolean
build_inputs (CbCalculatorPage  *self,
              JsonObject        *root,
              char             **first)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;

  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    {
      g_autofree char *name = NULL;
      JsonNode *node;

      /* A row just added stays out until the user fills it in. */
      if (!cb_input_row_get_edited (row))
        continue;

      name = cb_input_row_dup_name (row);
      if (*name == '\0')
        {
          const char *message = _("inputs: each input needs a name");

          cb_input_row_show_error (row, NULL, message);
          note_failure (first, message);
          ok = FALSE;
          continue;
        }
      if (g_hash_table_contains (seen, name))
        {
          g_autofree char *message = g_strdup_printf (_("inputs.%s: defined twice"), name);

          cb_input_row_show_error (row, NULL, message);
          note_failure (first, message);
          ok = FALSE;
          continue;
        }
      g_hash_table_add (seen, g_strdup (name));

      node = cb_input_row_build (row);
      if (node == NULL)
        {
          note_failure (first, _("inputs: a field does not read as a number"));
          ok = FALSE;
          continue;
        }
      json_object_set_member (inputs, name, node);
    }

  json_object_set_object_member (root, "inputs", g_steal_pointer (&inputs));
  return ok;
}

static gboolean
build_outputs (CbCalculatorPage  *self,
               JsonObject        *root,
               char             **first)
{
  g_autofree char *text = view_dup_text (self->model_view);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(JsonObject) outputs = json_object_new ();
  gboolean ok = TRUE;

  g_array_set_size (self->model_lines, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *equals;
      g_autofree char *name = NULL;
      g_autofree char *expression = NULL;
      ModelLine entry;

      if (*line == '\0' || *line == '#')
        continue;

      equals = strchr (line, '=');
      if (equals != NULL)
        {
          name = g_strstrip (g_strndup (line, (gsize) (equals - line)));
          expression = g_strstrip (g_strdup (equals + 1));
        }
      if (name == NULL || *name == '\0' || *expression == '\0')
        {
          g_autofree char *message =
            g_strdup_printf (_("outputs, line %u: expected “name = expression”"), i + 1);

          append_label_message (self->model_error, message);
          tag_line (self->model_view, self->model_error_tag, i);
          note_failure (first, message);
          ok = FALSE;
          continue;
        }
      if (json_object_has_member (outputs, name))
        {
          g_autofree char *message =
            g_strdup_printf (_("outputs.%s, line %u: defined twice"), name, i + 1);

          append_label_message (self->model_error, message);
          tag_line (self->model_view, self->model_error_tag, i);
          note_failure (first, message);
          ok = FALSE;
          continue;
        }

      json_object_set_string_member (outputs, name, expression);
      entry.name = g_steal_pointer (&name);
      entry.line = i;
      g_array_append_val (self->model_lines, entry);
    }

  if (json_object_get_size (outputs) > 0)
    json_object_set_object_member (root, "outputs", g_steal_pointer (&outputs));
  return ok;
}

static gboolean
build_correlations (CbCalculatorPage  *self,
                    JsonObject        *root,
                    char             **first)
{
  g_autofree char *text = view_dup_text (self->correlations_view);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(JsonArray) correlations = json_array_new ();
  gboolean ok = TRUE;

  g_array_set_size (self->correlation_lines, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) words = NULL;
      g_autoptr(CbDecimal) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      JsonArray *triple;

      if (*g_strstrip (lines[i]) == '\0' || *lines[i] == '#')
        continue;

      words = split_words (lines[i]);
      if (words->len != 3)
        message = g_strdup_printf (_("correlations, line %u: expected “name, name, coefficient”"),
                                   i + 1);
      else if ((r = cb_decimal_parse (g_ptr_array_index (words, 2), &error)) == NULL)
        message = g_strdup_printf (_("correlations, line %u: %s"), i + 1, error->message);

      if (message != NULL)
        {
          append_label_message (self->correlations_error, message);
          tag_line (self->correlations_view, self->correlations_error_tag, i);
          note_failure (first, message);
          ok = FALSE;
          continue;
        }

      triple = json_array_new ();
      json_array_add_string_element (triple, g_ptr_array_index (words, 0));
      json_array_add_string_element (triple, g_ptr_array_index (words, 1));
      json_array_add_double_element (triple, cb_decimal_to_double (r));
      json_array_add_array_element (correlations, triple);
      g_array_append_val (self->correlation_lines, i);
    }

  if (json_array_get_length (correlations) > 0)
    json_object_set_array_member (root, "correlations", g_steal_pointer (&correlations));
  return ok;
}

static gboolean
build_coverage (CbCalculatorPage  *self,
                JsonObject        *root,
                char             **first)
{
  g_autofree char *text = entry_dup_text (self->coverage_entry);
  const char *key = gtk_drop_down_get_selected (self->coverage_dropdown) == 1 ? "k" : "p";
  g_autoptr(CbDecimal) value = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *coverage;

  if (*text == '\0')
    return TRUE;

  value = cb_decimal_parse (text, &error);
  if (value == NULL)
    {
      g_autofree char *message = g_strdup_printf ("coverage.%s: %s", key, error->message);

      show_label_message (self->coverage_error, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->coverage_entry), "error");
      note_failure (first, message);
      return FALSE;
    }

  coverage = json_object_new ();
  json_object_set_double_member (coverage, key, cb_decimal_to_double (value));
  json_object_set_object_member (root, "coverage", coverage);
  return TRUE;
}

/* The budget JSON of the fields.  Fields that do not read are marked, and
 * the first message goes to @error; the rest is judged by the core. */
static JsonNode *
build_budget (CbCalculatorPage  *self,
              GError           **error)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *description = entry_dup_text (self->description_entry);
  g_autofree char *report_text = entry_dup_text (self->report_entry);
  g_autofree char *first = NULL;
  gboolean ok = TRUE;

  clear_errors (self);

  if (*description != '\0')
    json_object_set_string_member (root, "description", description);

  ok &= build_inputs (self, root, &first);
  ok &= build_outputs (self, root, &first);

  if (*report_text != '\0')
    {
      g_autoptr(GPtrArray) words = split_words (report_text);
      JsonArray *report = json_array_new ();

      for (guint i = 0; i < words->len; i++)
        json_array_add_string_element (report, g_ptr_array_index (words, i));
      json_object_set_array_member (root, "report", report);
    }

  ok &= build_correlations (self, root, &first);
  ok &= build_coverage (self, root, &first);

  if (gtk_check_button_get_active (self->second_order_check))
    json_object_set_boolean_member (root, "second_order", TRUE);

  if (!ok)
    {
      g_set_error_literal (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                           first != NULL ? first : _("the budget has errors"));
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), root);
}

/* Showing errors from the core next to their fields */

static char *
dup_path_segment (const char *text)
{
  return g_strndup (text, strcspn (text, ".:[ "));
}

static void
show_output_error (CbCalculatorPage *self,
                   const char       *message)
{
  const char *rest = message + strlen ("outputs");

  append_label_message (self->model_error, message);
  if (*rest == '.')
    {
      g_autofree char *name = dup_path_segment (rest + 1);

      for (guint i = 0; i < self->model_lines->len; i++)
        {
          const ModelLine *line = &g_array_index (self->model_lines, ModelLine, i);

          if (g_str_equal (line->name, name))
            tag_line (self->model_view, self->model_error_tag, line->line);
        }
    }
}

static void
show_correlation_error (CbCalculatorPage *self,
                        const char       *message)
{
  const char *rest = message + strlen ("correlations");
  guint64 index;

  if (*rest == '[' && g_ascii_isdigit (rest[1])
      && (index = g_ascii_strtoull (rest + 1, NULL, 10)) < self->correlation_lines->len)
    {
      guint line = g_array_index (self->correlation_lines, guint, index);
      g_autofree char *shown = g_strdup_printf (_("Line %u: %s"), line + 1, message);

      append_label_message (self->correlations_error, shown);
      tag_line (self->correlations_view, self->correlations_error_tag, line);
      return;
    }
  append_label_message (self->correlations_error, message);
}

/* The core names the place of each error ("inputs.ls.U: …"); the page
 * shows the message next to that place. */
static void
show_core_error (CbCalculatorPage *self,
                 const char       *message)
{
  if (g_str_has_prefix (message, "inputs."))
    {
      const char *rest = message + strlen ("inputs.");
      g_autofree char *name = dup_path_segment (rest);
      g_autofree char *field = NULL;
      CbInputRow *row;

      rest += strlen (name);
      if (*rest == '.')
        field = dup_path_segment (rest + 1);

      row = find_row (self, name);
      if (row != NULL)
        {
          cb_input_row_show_error (row, field, message);
          return;
        }
    }
  else if (g_str_has_prefix (message, "outputs"))
    {
      show_output_error (self, message);
      return;
    }
  else if (g_str_has_prefix (message, "correlations"))
    {
      show_correlation_error (self, message);
      return;
    }
  else if (g_str_has_prefix (message, "coverage"))
    {
      show_label_message (self->coverage_error, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->coverage_entry), "error");
      return;
    }
  else if (g_str_has_prefix (message, "report"))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->report_entry), "error");
    }
  else if (g_str_has_prefix (message, "description"))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->description_entry), "error");
    }

  /* The model is where a budget starts; errors of the whole go there. */
  append_label_message (self->model_error, message);
}

/* Evaluating */

static void
show_stale (CbCalculatorPage *self)
{
  cb_result_panel_set_stale (self->result_panel,
                             cb_result_panel_get_budget (self->result_panel) != NULL
                             ? _("The budget has errors (marked in red). The result shown is from before the last change.")
                             : _("Fix the fields marked in red to see the result."));
  cb_budget_table_set_stale (self->budget_table, TRUE);
}

static gboolean
is_blank (CbCalculatorPage *self)
{
  g_autofree char *model = view_dup_text (self->model_view);

  if (*g_strstrip (model) != '\0')
    return FALSE;
  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    if (cb_input_row_get_edited (row))
      return FALSE;
  return TRUE;
}

/* Runs at every edit: a budget evaluates in well under a millisecond, so
 * the result follows the typing without a delay. */
static void
recompute (CbCalculatorPage *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CbBudget) budget = NULL;
  g_autoptr(CbGumResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (self->freeze > 0)
    return;

  if (is_blank (self))
    {
      clear_errors (self);
      cb_result_panel_show_empty (self->result_panel,
                                  _("Write the model and add its inputs; the result follows as you type."));
      cb_budget_table_set_stale (self->budget_table, FALSE);
      return;
    }

  root = build_budget (self, &error);
  if (root == NULL)
    {
      show_stale (self);
      return;
    }

  budget = cb_budget_new_from_json (root, &error);
  if (budget != NULL)
    result = cb_budget_evaluate_gum (budget, &error);
  if (result == NULL)
    {
      show_core_error (self, error->message);
      show_stale (self);
      return;
    }

  for (CbInputRow *row = first_row (self); row != NULL; row = next_row (row))
    {
      g_autofree char *name = cb_input_row_dup_name (row);
      int index = cb_budget_find_input (budget, name);

      cb_input_row_show_computed (row, index >= 0 ? cb_budget_get_input (budget, (guint) index) : NULL);
    }

  cb_budget_table_set_stale (self->budget_table, FALSE);
  cb_result_panel_show_result (self->result_panel, budget, g_steal_pointer (&result));
}

/* Loading */

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return cb_format_for_entry (json_node_get_double (node));
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return NULL;
    }
}

static void
load_outputs (CbCalculatorPage *self,
              JsonNode         *node,
              GPtrArray        *notes)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = NULL;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_ptr_array_add (notes, g_strdup (_("outputs: expected an object of “name”: “expression”; left out")));
      return;
    }

  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *expression = node_to_text (json_object_get_member (json_node_get_object (node), l->data));

      g_string_append_printf (text, "%s = %s\n", (const char *) l->data,
                              expression != NULL ? expression : "");
    }
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  view_set_text (self->model_view, text->str);
}

static void
load_words (GtkEntry  *entry,
            JsonNode  *node,
            GPtrArray *notes)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_ptr_array_add (notes, g_strdup (_("report: expected an array of output names; left out")));
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *word = node_to_text (json_array_get_element (array, i));

      if (word == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, word);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
}

static void
append_correlation_line (GString    *text,
                         const char *a,
                         const char *b,
                         const char *r)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s, %s, %s", a, b, r);
}

static void
load_correlations (CbCalculatorPage *self,
                   JsonNode         *node,
                   GString          *text,
                   GPtrArray        *notes)
{
  JsonArray *array;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_ptr_array_add (notes, g_strdup (_("correlations: expected an array of [name, name, r]; left out")));
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonArray *triple;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      g_autofree char *r = NULL;

      if (!JSON_NODE_HOLDS_ARRAY (element)
          || json_array_get_length (json_node_get_array (element)) != 3)
        {
          g_ptr_array_add (notes, g_strdup_printf (_("correlations[%u]: expected [name, name, r]; left out"), i));
          continue;
        }
      triple = json_node_get_array (element);
      a = node_to_text (json_array_get_element (triple, 0));
      b = node_to_text (json_array_get_element (triple, 1));
      r = node_to_text (json_array_get_element (triple, 2));
      append_correlation_line (text, a != NULL ? a : "?", b != NULL ? b : "?", r != NULL ? r : "?");
    }
}

/* Simultaneous observations become readings; the correlations their data
 * give are written out, so that the budget stays the same. */
static void
load_observations (CbCalculatorPage *self,
                   JsonNode         *root,
                   JsonNode         *node,
                   GString          *correlations,
                   GPtrArray        *notes)
{
  g_autoptr(CbBudget) budget = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_ptr_array_add (notes, g_strdup (_("observations: expected an object of arrays; left out")));
      return;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonNode) input_node = NULL;

      json_object_set_member (input, "readings", json_node_copy (json_object_get_member (object, l->data)));
      input_node = json_node_init_object (json_node_alloc (), input);
      cb_input_row_load (add_row (self), l->data, input_node, NULL);
    }

  budget = cb_budget_new_from_json (root, NULL);
  if (budget != NULL)
    {
      for (GList *a = members; a != NULL; a = a->next)
        for (GList *b = a->next; b != NULL; b = b->next)
          {
            int i = cb_budget_find_input (budget, a->data);
            int j = cb_budget_find_input (budget, b->data);
            g_autoptr(CbDecimal) r = NULL;
            g_autoptr(CbDecimal) rounded = NULL;
            g_autofree char *r_text = NULL;

            if (i < 0 || j < 0)
              continue;
            r = cb_decimal_from_double (cb_budget_get_correlation (budget, (guint) i, (guint) j));
            rounded = r != NULL ? cb_round_to_significant (r, 4, NULL) : NULL;
            if (rounded == NULL)
              continue;
            r_text = cb_decimal_to_string (rounded);
            append_correlation_line (correlations, a->data, b->data, r_text);
          }
    }

  if (members != NULL)
    g_ptr_array_add (notes, g_strdup (_("observations: shown as readings, with the correlations their data give")));
}

static void
load_coverage (CbCalculatorPage *self,
               JsonNode         *node,
               GPtrArray        *notes)
{
  JsonObject *object;
  const char *key = NULL;
  g_autofree char *text = NULL;

  gtk_drop_down_set_selected (self->coverage_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->coverage_entry), "");
  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      if (json_object_has_member (object, "p"))
        key = "p";
      else if (json_object_has_member (object, "k"))
        key = "k";
      if (key != NULL)
        text = node_to_text (json_object_get_member (object, key));
    }
  if (text == NULL)
    {
      g_ptr_array_add (notes, g_strdup (_("coverage: expected {\"p\": p} or {\"k\": k}; k = 2 is used")));
      return;
    }

  gtk_drop_down_set_selected (self->coverage_dropdown, g_str_equal (key, "k") ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->coverage_entry), text);
}

static void
set_file (CbCalculatorPage *self,
          GFile            *file,
          const char       *subtitle)
{
  g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;

  g_set_object (&self->file, file);
  adw_window_title_set_subtitle (self->window_title, basename != NULL ? basename : subtitle);
}

static void
remember_file (CbCalculatorPage *self,
               GFile            *file)
{
  g_autofree char *path = NULL;

  if (self->settings == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    path = g_file_get_uri (file);
  g_settings_set_string (self->settings, "last-budget", path);
}

/* Monte Carlo */

/* Files */

static void
on_file_loaded (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbCalculatorPage) self = user_data;
  GFile *file = G_FILE (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  gsize length;

  if (!g_file_load_contents_finish (file, result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), basename, error->message);

          show_toast (self, message);
        }
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, (gssize) length, &error)
      || !cb_calculator_page_load_json (self, json_parser_get_root (parser), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), basename, error->message);

      show_toast (self, message);
      return;
    }

  set_file (self, file, NULL);
  remember_file (self, file);
}

static void
on_file_saved (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CbCalculatorPage) self = user_data;
  GFile *file = G_FILE (source_object);
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (file, result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not save “%s”: %s"), basename, error->message);
      show_toast (self, message);
      return;
    }

  set_file (self, file, NULL);
  remember_file (self, file);
  message = g_strdup_printf (_("Saved “%s”"), basename);
  show_toast (self, message);
}

static void
save_to_file (CbCalculatorPage *self,
              GFile            *file)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  root = cb_calculator_page_build_json (self, &error);
  if (root == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), error->message);

      show_toast (self, message);
      return;
    }

  text = cb_json_to_string (root);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->io_cancellable, on_file_saved, g_object_ref (self));
}

static void
close_chooser (CbCalculatorPage *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->chooser, self);
  gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
}

static void
on_chooser_response (GtkNativeDialog  *dialog,
                     int               response,
                     CbCalculatorPage *self)
{
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  close_chooser (self);

  if (file == NULL)
    return;
  if (saving)
    save_to_file (self, file);
  else
    cb_calculator_page_open (self, file);
}

static void
show_chooser (CbCalculatorPage     *self,
              GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) budgets = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  gboolean saving = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  close_chooser (self);

  chooser = gtk_file_chooser_native_new (saving ? _("Save Budget") : _("Open Budget"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action,
                                         saving ? _("_Save") : _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (budgets, _("Budget files (JSON)"));
  gtk_file_filter_add_pattern (budgets, "*.json");
  gtk_file_filter_add_mime_type (budgets, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), budgets);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  if (saving)
    {
      if (self->file != NULL)
        gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), self->file, NULL);
      else
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("budget.json"));
    }

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

/* Actions */

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (widget);
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), json_object_new ());

  cb_calculator_page_load_json (self, root, NULL);
  set_file (self, NULL, _("New budget"));
  gtk_widget_grab_focus (GTK_WIDGET (self->model_view));
}

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  show_chooser (CB_CALCULATOR_PAGE (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
open_example_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  cb_calculator_page_load_example (CB_CALCULATOR_PAGE (widget));
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (widget);

  if (self->file != NULL)
    save_to_file (self, self->file);
  else
    show_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
save_as_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  show_chooser (CB_CALCULATOR_PAGE (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
add_input_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (widget);
  CbInputRow *row;
  g_autofree char *name = NULL;

  /* x1, x2, …: the first free one, as a starting point to type over. */
  for (guint i = 1; name == NULL; i++)
    {
      char *candidate = g_strdup_printf ("x%u", i);
      gboolean taken = FALSE;

      for (CbInputRow *other = first_row (self); other != NULL && !taken; other = next_row (other))
        {
          g_autofree char *other_name = cb_input_row_dup_name (other);

          taken = g_str_equal (other_name, candidate);
        }
      if (taken)
        g_free (candidate);
      else
        name = candidate;
    }

  row = add_row (self);
  cb_input_row_set_name (row, name);
  cb_input_row_focus (row);
}

/* Callbacks */

static void
on_budget_changed (CbCalculatorPage *self)
{
  recompute (self);
}

static void
on_output_changed (CbCalculatorPage *self)
{
  cb_budget_table_show (self->budget_table,
                        cb_result_panel_get_budget (self->result_panel),
                        cb_result_panel_get_output (self->result_panel));
}

static void
on_entry_activate_next (GtkEntry         *entry,
                        CbCalculatorPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL)
    gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD);
}

/* Overrides */

static void
cb_calculator_page_dispose (GObject *object)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (object);

  /* Nothing recomputes while the widgets go. */
  self->freeze++;

  if (self->io_cancellable != NULL)
    g_cancellable_cancel (self->io_cancellable);
  close_chooser (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CALCULATOR_PAGE);
  /* Children the template does not bind (the header bar) go too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_object (&self->io_cancellable);

  G_OBJECT_CLASS (cb_calculator_page_parent_class)->dispose (object);
}

static void
cb_calculator_page_finalize (GObject *object)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (object);

  g_clear_pointer (&self->model_lines, g_array_unref);
  g_clear_pointer (&self->correlation_lines, g_array_unref);

  G_OBJECT_CLASS (cb_calculator_page_parent_class)->finalize (object);
}

static void
cb_calculator_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_calculator_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CbCalculatorPage *self = CB_CALCULATOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SETTINGS:
      if (g_set_object (&self->settings, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_calculator_page_class_init (CbCalculatorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_calculator_page_dispose;
  object_class->finalize = cb_calculator_page_finalize;
  object_class->get_property = cb_calculator_page_get_property;
  object_class->set_property = cb_calculator_page_set_property;

  /* Whether the window shows one pane at a time: the page then offers
   * the way back to the sidebar and the window buttons. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Where the last budget file is remembered; may be NULL. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_BUDGET_TABLE);
  g_type_ensure (CB_TYPE_INPUT_ROW);
  g_type_ensure (CB_TYPE_RESULT_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/calbench/Calbench/ui/cb-calculator-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, description_entry);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, model_view);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, model_error);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, report_entry);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, inputs_label);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, inputs_count_label);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, inputs_header);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, inputs_box);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, inputs_empty_label);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, add_input_button);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, correlations_view);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, correlations_error);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, coverage_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, coverage_entry);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, coverage_error);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, second_order_check);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, result_panel);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, budget_table);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, name_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, value_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, unit_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, kind_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, parameters_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, dof_group);
  gtk_widget_class_bind_template_child (widget_class, CbCalculatorPage, remove_group);
  gtk_widget_class_bind_template_callback (widget_class, on_budget_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_output_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_next);

  gtk_widget_class_install_action (widget_class, "calculator.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "calculator.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "calculator.open-example", NULL, open_example_activated);
  gtk_widget_class_install_action (widget_class, "calculator.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "calculator.save-as", NULL, save_as_activated);
  gtk_widget_class_install_action (widget_class, "calculator.add-input", NULL, add_input_activated);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                          gtk_named_action_new (action)));
}

static void
cb_calculator_page_init (CbCalculatorPage *self)
{
  GtkEventController *shortcuts;
  GtkTextBuffer *buffer;

  self->model_lines = g_array_new (FALSE, TRUE, sizeof (ModelLine));
  g_array_set_clear_func (self->model_lines, model_line_clear);
  self->correlation_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->io_cancellable = g_cancellable_new ();

  self->freeze++;
  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->model_view);
  self->model_error_tag = gtk_text_buffer_create_tag (buffer, NULL,
                                                      "underline", PANGO_UNDERLINE_ERROR,
                                                      NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_budget_changed), self, G_CONNECT_SWAPPED);
  buffer = gtk_text_view_get_buffer (self->correlations_view);
  self->correlations_error_tag = gtk_text_buffer_create_tag (buffer, NULL,
                                                             "underline", PANGO_UNDERLINE_ERROR,
                                                             NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_budget_changed), self, G_CONNECT_SWAPPED);

  /* The page's shortcuts work from anywhere in the window while the page is
   * shown (a global controller only fires for a mapped widget). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>n", "calculator.new");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>o", "calculator.open");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>s", "calculator.save");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control><Shift>s", "calculator.save-as");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->freeze--;

  cb_calculator_page_load_example (self);
}

/* Public API */

CbCalculatorPage *
cb_calculator_page_new (void)
{
  return g_object_new (CB_TYPE_CALCULATOR_PAGE, NULL);
}

gboolean
cb_calculator_page_load_json (CbCalculatorPage  *self,
                              JsonNode          *root,
                              GError           **error)
{
  static const char * const known[] = {
    "description", "inputs", "observations", "correlations", "outputs", "report",
    "coverage", "second_order", NULL,
  };
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GString) correlations = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (CB_IS_CALCULATOR_PAGE (self), FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                           _("budget: expected a JSON object"));
      return FALSE;
    }

  object = json_node_get_object (root);
  notes = g_ptr_array_new_with_free_func (g_free);
  correlations = g_string_new (NULL);

  self->freeze++;
  cb_result_panel_reset_monte_carlo (self->result_panel);
  remove_all_rows (self);

  node = json_object_get_member (object, "description");
  {
    g_autofree char *description = node_to_text (node);

    gtk_editable_set_text (GTK_EDITABLE (self->description_entry), description != NULL ? description : "");
  }

  view_set_text (self->model_view, NULL);
  load_outputs (self, json_object_get_member (object, "outputs"), notes);

  gtk_editable_set_text (GTK_EDITABLE (self->report_entry), "");
  load_words (self->report_entry, json_object_get_member (object, "report"), notes);

  node = json_object_get_member (object, "inputs");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (node));

      for (GList *l = names; l != NULL; l = l->next)
        cb_input_row_load (add_row (self), l->data,
                           json_object_get_member (json_node_get_object (node), l->data), notes);
    }
  else if (node != NULL)
    {
      g_ptr_array_add (notes, g_strdup (_("inputs: expected an object of inputs; left out")));
    }

  load_correlations (self, json_object_get_member (object, "correlations"), correlations, notes);
  load_observations (self, root, json_object_get_member (object, "observations"), correlations, notes);
  view_set_text (self->correlations_view, correlations->str);

  load_coverage (self, json_object_get_member (object, "coverage"), notes);

  node = json_object_get_member (object, "second_order");
  gtk_check_button_set_active (self->second_order_check,
                               node != NULL && JSON_NODE_HOLDS_VALUE (node)
                               && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                               && json_node_get_boolean (node));

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      g_ptr_array_add (notes, g_strdup_printf (_("%s: not a part of a budget; left out"),
                                               (const char *) l->data));

  self->freeze--;
  recompute (self);

  for (guint i = 0; i < notes->len && i < MAX_NOTE_TOASTS; i++)
    show_toast (self, g_ptr_array_index (notes, i));

  return TRUE;
}

JsonNode *
cb_calculator_page_build_json (CbCalculatorPage  *self,
                               GError           **error)
{
  JsonNode *root;

  g_return_val_if_fail (CB_IS_CALCULATOR_PAGE (self), NULL);

  root = build_budget (self, error);
  /* Building cleared the marks of the core's errors: put them back. */
  recompute (self);
  return root;
}

void
cb_calculator_page_load_example (CbCalculatorPage *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  g_return_if_fail (CB_IS_CALCULATOR_PAGE (self));

  bytes = g_resources_lookup_data (EXAMPLE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;
  if (data == NULL
      || !json_parser_load_from_data (parser, data, (gssize) length, &error)
      || !cb_calculator_page_load_json (self, json_parser_get_root (parser), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the example: %s"),
                                                  error != NULL ? error->message : "");

      show_toast (self, message);
      return;
    }

  set_file (self, NULL, _("Example: GUM H.1, end gauge"));
}

void
cb_calculator_page_open (CbCalculatorPage *self,
                         GFile            *file)
{
  g_return_if_fail (CB_IS_CALCULATOR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, self->io_cancellable, on_file_loaded, g_object_ref (self));
}

void
cb_calculator_page_save (CbCalculatorPage *self,
                         GFile            *file)
{
  g_return_if_fail (CB_IS_CALCULATOR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  save_to_file (self, file);
}

gboolean
cb_calculator_page_has_result (CbCalculatorPage *self)
{
  g_return_val_if_fail (CB_IS_CALCULATOR_PAGE (self), FALSE);

  return cb_result_panel_has_result (self->result_panel);
}
