/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/cb-format.h"
#include "cb-result-panel.h"
#include "core/cb-mcm.h"

#define MCM_TRIALS 1000000

/* One Monte Carlo run, shared with its worker thread. */
typedef struct
{
  CbBudget     *budget;
  CbMcmOptions  options;
  gint          permille;   /* progress, written by the worker */
} McmJob;

struct _CbResultPanel
{
  GtkWidget       parent_instance;

  /* Template children */
  GtkDropDown    *output_dropdown;
  GtkStringList  *output_names;
  GtkStack       *result_stack;
  GtkLabel       *empty_label;
  GtkWidget      *result_card;
  GtkLabel       *result_label;
  GtkLabel       *result_caption;
  GtkLabel       *status_label;
  GtkWidget      *comparison_grid;
  GtkLabel       *interval_heading;
  GtkLabel       *gum_value_label;
  GtkLabel       *gum_u_label;
  GtkLabel       *gum_interval_label;
  GtkLabel       *gum_k_label;
  GtkLabel       *gum_dof_label;
  GtkLabel       *mcm_value_label;
  GtkLabel       *mcm_u_label;
  GtkLabel       *mcm_interval_label;
  GtkWidget      *mcm_cancel_button;
  GtkProgressBar *mcm_progress;
  GtkLabel       *mcm_caption;

  CbBudget       *budget;
  CbGumResult    *result;
  gboolean        stale;
  guint           freeze;

  CbBudget       *mcm_budget;     /* the budget the last run was for */
  CbMcmResult    *mcm_result;
  guint64         mcm_seed;
  GTask          *mcm_task;
  GCancellable   *mcm_cancellable;
  guint           mcm_progress_id;
};

G_DEFINE_FINAL_TYPE (CbResultPanel, cb_result_panel, GTK_TYPE_WIDGET)

enum {
  OUTPUT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
mcm_job_free (gpointer data)
{
  McmJob *job = data;

  g_clear_pointer (&job->budget, cb_budget_unref);
  g_free (job);
}

static void
show_label_message (GtkLabel   *label,
                    const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}

static void
set_stale_style (GtkWidget *widget,
                 gboolean   stale)
{
  if (stale)
    gtk_widget_add_css_class (widget, "cb-stale");
  else
    gtk_widget_remove_css_class (widget, "cb-stale");
}

static const char *
selected_output_name (CbResultPanel *self)
{
  GObject *item = gtk_drop_down_get_selected_item (self->output_dropdown);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* The output shown, as an index into the budget's outputs. */
static guint
selected_output (CbResultPanel *self)
{
  const char *name = selected_output_name (self);
  int index = name != NULL ? cb_budget_find_output (self->budget, name) : -1;
  const guint *reported;
  guint n_reported;

  if (index >= 0)
    return (guint) index;
  reported = cb_budget_get_reported (self->budget, &n_reported);
  return n_reported > 0 ? reported[0] : 0;
}

static void
update_output_names (CbResultPanel *self)
{
  GListModel *model = G_LIST_MODEL (self->output_names);
  g_autofree char *previous = g_strdup (selected_output_name (self));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const guint *reported;
  guint n_reported;
  gboolean same;

  reported = cb_budget_get_reported (self->budget, &n_reported);
  for (guint i = 0; i < n_reported; i++)
    g_ptr_array_add (names, (gpointer) cb_budget_get_output_name (self->budget, reported[i]));
  g_ptr_array_add (names, NULL);

  same = g_list_model_get_n_items (model) == n_reported;
  for (guint i = 0; same && i < n_reported; i++)
    same = g_str_equal (gtk_string_list_get_string (self->output_names, i),
                        g_ptr_array_index (names, i));
  if (same)
    return;

  /* Changing the list moves the selection: that is not the user's choice. */
  self->freeze++;
  gtk_string_list_splice (self->output_names, 0, g_list_model_get_n_items (model),
                          (const char * const *) names->pdata);
  for (guint i = 0; i < n_reported; i++)
    if (g_strcmp0 (previous, g_ptr_array_index (names, i)) == 0)
      gtk_drop_down_set_selected (self->output_dropdown, i);
  self->freeze--;

  gtk_widget_set_visible (GTK_WIDGET (self->output_dropdown), n_reported > 1);
}

static void
update_actions (CbResultPanel *self)
{
  gboolean running = self->mcm_task != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.monte-carlo",
                                 self->result != NULL && !self->stale && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.cancel-monte-carlo", running);
}

static void
show_mcm (CbResultPanel *self)
{
  const char *name = selected_output_name (self);
  const CbMcmOutput *output;
  g_autofree char *value = NULL;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *u = NULL;
  g_autofree char *interval = NULL;
  g_autofree char *trials = NULL;
  g_autofree char *p = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *seed = NULL;
  gboolean stale;
  int index = -1;
  int place;

  if (self->mcm_result != NULL && name != NULL)
    index = cb_budget_find_output (self->mcm_budget, name);

  if (index < 0)
    {
      gtk_label_set_label (self->mcm_value_label, "—");
      gtk_label_set_label (self->mcm_u_label, "—");
      gtk_label_set_label (self->mcm_interval_label, "—");
      if (self->mcm_task == NULL)
        show_label_message (self->mcm_caption,
                            self->mcm_result != NULL ? _("The last Monte Carlo run had no such output.") : NULL);
      return;
    }

  output = cb_mcm_result_get_output (self->mcm_result, (guint) index);

  /* JCGM 101 7.9: the results to the digits of a two-digit u. */
  if (cb_format_place_of (output->u, 2, &place))
    {
      value = cb_format_at_place (output->value, place);
      low = cb_format_at_place (output->low, place);
      high = cb_format_at_place (output->high, place);
    }
  else
    {
      value = cb_format_value (output->value);
      low = cb_format_value (output->low);
      high = cb_format_value (output->high);
    }
  u = cb_format_significant (output->u, 2);
  interval = g_strdup_printf ("%s\n%s", low, high);
  {
    /* 10⁶ reads as "1×10⁶": the shortest decimal keeps only its digit. */
    g_autoptr(CbDecimal) count = cb_decimal_from_double ((double) cb_mcm_result_get_trials (self->mcm_result));

    trials = count != NULL ? cb_format_decimal (count) : g_strdup ("—");
  }
  p = cb_format_probability (cb_mcm_result_get_p (self->mcm_result));
  /* TRANSLATORS: %s are the number of trials and the coverage probability,
   * then the seed of the random number generator */
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, self->mcm_seed);
  caption = g_strdup_printf (_("%s trials, shortest %s interval, seed %s"), trials, p, seed);

  stale = self->stale || self->mcm_budget != self->budget;
  if (stale)
    {
      char *outdated = g_strdup_printf ("%s %s", _("Outdated: the budget changed after this run."), caption);

      g_free (caption);
      caption = outdated;
    }

  gtk_label_set_label (self->mcm_value_label, value);
  gtk_label_set_label (self->mcm_u_label, u);
  gtk_label_set_label (self->mcm_interval_label, interval);
  if (self->mcm_task == NULL)
    show_label_message (self->mcm_caption, caption);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mcm_caption), cb_mcm_generator_name ());
  set_stale_style (GTK_WIDGET (self->mcm_value_label), stale);
  set_stale_style (GTK_WIDGET (self->mcm_u_label), stale);
  set_stale_style (GTK_WIDGET (self->mcm_interval_label), stale);
}

static void
show_output (CbResultPanel *self)
{
  const CbGumOutput *output = cb_gum_result_get_output (self->result, selected_output (self));
  g_autofree char *y = NULL;
  g_autofree char *U = NULL;
  g_autofree char *headline = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *interval = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *u = NULL;
  g_autofree char *k = NULL;
  g_autofree char *p = NULL;
  g_autofree char *dof = NULL;
  double given_p;
  double given_k;
  int place;

  gtk_stack_set_visible_child_name (self->result_stack, "result");

  /* A k that was given is shown as given; one derived from p and ν_eff to
   * three digits, as in GUM G.3. */
  cb_budget_get_coverage (self->budget, &given_p, &given_k);
  k = isfinite (given_k) ? cb_format_value (output->k) : cb_format_significant (output->k, 3);
  p = cb_format_probability (output->p);
  u = cb_format_significant (output->u, 2);
  dof = cb_format_dof (output->dof);

  if (output->expanded > 0
      && cb_format_report (output->value, output->expanded, &y, &U, &place, NULL))
    {
      g_autofree char *low = cb_format_at_place (output->value - output->expanded, place);
      g_autofree char *high = cb_format_at_place (output->value + output->expanded, place);

      /* TRANSLATORS: the reported result, e.g. "l = 50000840 ± 90" */
      headline = g_strdup_printf (_("%s = %s ± %s"), output->name, y, U);
      /* TRANSLATORS: under the reported result: U, k and p */
      caption = g_strdup_printf (_("U = %s, k = %s, p = %s"), U, k, p);
      interval = g_strdup_printf ("%s\n%s", low, high);
    }
  else
    {
      /* Nothing to round to: the value as computed. */
      y = cb_format_value (output->value);
      headline = g_strdup_printf ("%s = %s", output->name, y);
      caption = g_strdup (_("The combined standard uncertainty is zero."));
      interval = g_strdup ("—");
    }

  /* TRANSLATORS: %s is the coverage probability, e.g. "95 %" */
  heading = g_strdup_printf (_("Coverage interval (%s)"), p);

  gtk_label_set_label (self->result_label, headline);
  gtk_label_set_label (self->result_caption, caption);
  gtk_label_set_label (self->gum_value_label, y);
  gtk_label_set_label (self->gum_u_label, u);
  gtk_label_set_label (self->interval_heading, heading);
  gtk_label_set_label (self->gum_interval_label, interval);
  gtk_label_set_label (self->gum_k_label, k);
  gtk_label_set_label (self->gum_dof_label, dof);

  show_mcm (self);
  g_signal_emit (self, signals[OUTPUT_CHANGED], 0);
}

static void
set_stale (CbResultPanel *self,
           gboolean       stale)
{
  self->stale = stale;
  set_stale_style (self->result_card, stale);
  set_stale_style (self->comparison_grid, stale);
}

/* Monte Carlo */

static void
on_mcm_progress (double   fraction,
                 gpointer user_data)
{
  McmJob *job = user_data;

  g_atomic_int_set (&job->permille, (gint) (CLAMP (fraction, 0, 1) * 1000));
}

static void
run_mcm_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  McmJob *job = task_data;
  g_autoptr(GError) error = NULL;
  CbMcmResult *result;

  result = cb_mcm_run (job->budget, &job->options, on_mcm_progress, job, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) cb_mcm_result_free);
}

static gboolean
on_mcm_progress_tick (gpointer user_data)
{
  CbResultPanel *self = user_data;
  McmJob *job = g_task_get_task_data (self->mcm_task);

  gtk_progress_bar_set_fraction (self->mcm_progress, g_atomic_int_get (&job->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
end_mcm_run (CbResultPanel *self)
{
  if (self->mcm_cancellable != NULL)
    g_cancellable_cancel (self->mcm_cancellable);
  g_clear_handle_id (&self->mcm_progress_id, g_source_remove);
  g_clear_object (&self->mcm_task);
  g_clear_object (&self->mcm_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->mcm_progress), FALSE);
  gtk_widget_set_visible (self->mcm_cancel_button, FALSE);
  update_actions (self);
}

static void
on_mcm_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbResultPanel *self = CB_RESULT_PANEL (source_object);
  g_autoptr(GError) error = NULL;
  CbMcmResult *mcm_result;
  McmJob *job;

  mcm_result = g_task_propagate_pointer (G_TASK (result), &error);

  /* A run that was stopped, or outlived its panel. */
  if (G_TASK (result) != self->mcm_task)
    {
      g_clear_pointer (&mcm_result, cb_mcm_result_free);
      return;
    }

  job = g_task_get_task_data (G_TASK (result));
  g_clear_pointer (&self->mcm_budget, cb_budget_unref);
  g_clear_pointer (&self->mcm_result, cb_mcm_result_free);
  end_mcm_run (self);

  if (mcm_result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Monte Carlo failed: %s"), error->message);

      show_mcm (self);
      show_label_message (self->mcm_caption, message);
      return;
    }

  self->mcm_budget = cb_budget_ref (job->budget);
  self->mcm_result = mcm_result;
  show_mcm (self);
}

static void
start_mcm (CbResultPanel *self)
{
  g_autoptr(GTask) task = NULL;
  McmJob *job;

  if (self->result == NULL || self->stale || self->mcm_task != NULL)
    return;

  job = g_new0 (McmJob, 1);
  job->budget = cb_budget_ref (self->budget);
  cb_mcm_options_init (&job->options);
  job->options.trials = MCM_TRIALS;
  /* A fresh seed per run; it is shown, so that calbench-cli can repeat it. */
  job->options.seed = g_random_int ();
  self->mcm_seed = job->options.seed;

  self->mcm_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->mcm_cancellable, on_mcm_done, NULL);
  g_task_set_source_tag (task, start_mcm);
  g_task_set_task_data (task, job, mcm_job_free);
  self->mcm_task = g_object_ref (task);
  g_task_run_in_thread (task, run_mcm_thread);

  gtk_progress_bar_set_fraction (self->mcm_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->mcm_progress), TRUE);
  gtk_widget_set_visible (self->mcm_cancel_button, TRUE);
  show_label_message (self->mcm_caption, _("Running 10⁶ trials…"));
  self->mcm_progress_id = g_timeout_add (100, on_mcm_progress_tick, self);
  update_actions (self);
}

/* Actions */

static void
monte_carlo_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  start_mcm (CB_RESULT_PANEL (widget));
}

static void
cancel_monte_carlo_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CbResultPanel *self = CB_RESULT_PANEL (widget);

  end_mcm_run (self);
  show_label_message (self->mcm_caption, _("Monte Carlo stopped."));
}

/* Callbacks */

static void
on_output_selected (CbResultPanel *self)
{
  if (self->freeze == 0 && self->result != NULL)
    show_output (self);
}

/* Overrides */

static void
cb_result_panel_dispose (GObject *object)
{
  CbResultPanel *self = CB_RESULT_PANEL (object);

  self->freeze++;
  if (self->mcm_cancellable != NULL)
    g_cancellable_cancel (self->mcm_cancellable);
  g_clear_object (&self->mcm_task);
  g_clear_object (&self->mcm_cancellable);
  g_clear_handle_id (&self->mcm_progress_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_RESULT_PANEL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_result_panel_parent_class)->dispose (object);
}

static void
cb_result_panel_finalize (GObject *object)
{
  CbResultPanel *self = CB_RESULT_PANEL (object);

  g_clear_pointer (&self->result, cb_gum_result_free);
  g_clear_pointer (&self->budget, cb_budget_unref);
  g_clear_pointer (&self->mcm_result, cb_mcm_result_free);
  g_clear_pointer (&self->mcm_budget, cb_budget_unref);

  G_OBJECT_CLASS (cb_result_panel_parent_class)->finalize (object);
}

static void
cb_result_panel_class_init (CbResultPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_result_panel_dispose;
  object_class->finalize = cb_result_panel_finalize;

  /* Emitted when another output, or another result of it, is shown. */
  signals[OUTPUT_CHANGED] =
    g_signal_new ("output-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/calbench/Calbench/ui/cb-result-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, output_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, output_names);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, result_stack);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, result_card);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, result_caption);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, comparison_grid);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, interval_heading);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, gum_value_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, gum_u_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, gum_interval_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, gum_k_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, gum_dof_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_value_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_u_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_interval_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_progress);
  gtk_widget_class_bind_template_child (widget_class, CbResultPanel, mcm_caption);
  gtk_widget_class_bind_template_callback (widget_class, on_output_selected);

  gtk_widget_class_install_action (widget_class, "result.monte-carlo", NULL, monte_carlo_activated);
  gtk_widget_class_install_action (widget_class, "result.cancel-monte-carlo", NULL,
                                   cancel_monte_carlo_activated);
}

static void
cb_result_panel_init (CbResultPanel *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ctrl+M from anywhere in the window while the panel is shown. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>m"),
                                                          gtk_named_action_new ("result.monte-carlo")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  update_actions (self);
}

/* Public API */

CbResultPanel *
cb_result_panel_new (void)
{
  return g_object_new (CB_TYPE_RESULT_PANEL, NULL);
}

void
cb_result_panel_show_result (CbResultPanel *self,
                             CbBudget      *budget,
                             CbGumResult   *result)
{
  g_return_if_fail (CB_IS_RESULT_PANEL (self));
  g_return_if_fail (budget != NULL);
  g_return_if_fail (result != NULL);

  g_clear_pointer (&self->result, cb_gum_result_free);
  g_clear_pointer (&self->budget, cb_budget_unref);
  self->budget = cb_budget_ref (budget);
  self->result = result;

  show_label_message (self->status_label, NULL);
  set_stale (self, FALSE);
  update_output_names (self);
  show_output (self);
  update_actions (self);
}

void
cb_result_panel_show_empty (CbResultPanel *self,
                            const char    *message)
{
  g_return_if_fail (CB_IS_RESULT_PANEL (self));

  g_clear_pointer (&self->result, cb_gum_result_free);
  g_clear_pointer (&self->budget, cb_budget_unref);
  set_stale (self, FALSE);
  show_label_message (self->status_label, NULL);
  gtk_label_set_label (self->empty_label, message != NULL ? message : "");
  gtk_stack_set_visible_child_name (self->result_stack, "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->output_dropdown), FALSE);
  show_mcm (self);
  update_actions (self);
  g_signal_emit (self, signals[OUTPUT_CHANGED], 0);
}

void
cb_result_panel_set_stale (CbResultPanel *self,
                           const char    *message)
{
  g_return_if_fail (CB_IS_RESULT_PANEL (self));

  if (self->result == NULL)
    {
      gtk_label_set_label (self->empty_label, message != NULL ? message : "");
      gtk_stack_set_visible_child_name (self->result_stack, "empty");
      return;
    }

  set_stale (self, TRUE);
  show_label_message (self->status_label, message);
  show_mcm (self);
  update_actions (self);
}

gboolean
cb_result_panel_has_result (CbResultPanel *self)
{
  g_return_val_if_fail (CB_IS_RESULT_PANEL (self), FALSE);

  return self->result != NULL && !self->stale;
}

CbBudget *
cb_result_panel_get_budget (CbResultPanel *self)
{
  g_return_val_if_fail (CB_IS_RESULT_PANEL (self), NULL);

  return self->budget;
}

const CbGumOutput *
cb_result_panel_get_output (CbResultPanel *self)
{
  g_return_val_if_fail (CB_IS_RESULT_PANEL (self), NULL);

  if (self->result == NULL)
    return NULL;
  return cb_gum_result_get_output (self->result, selected_output (self));
}

void
cb_result_panel_reset_monte_carlo (CbResultPanel *self)
{
  g_return_if_fail (CB_IS_RESULT_PANEL (self));

  end_mcm_run (self);
  g_clear_pointer (&self->mcm_result, cb_mcm_result_free);
  g_clear_pointer (&self->mcm_budget, cb_budget_unref);
  show_mcm (self);
  show_label_message (self->mcm_caption, NULL);
}
