/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-budget-line.h"
#include "cb-budget-table.h"
#include "core/cb-format.h"

struct _CbBudgetTable
{
  GtkWidget      parent_instance;

  /* Template children */
  GtkLabel      *table_title;
  GtkWidget     *table_scroll;
  GtkColumnView *budget_view;
  GtkWidget     *empty_label;

  GListStore    *lines;
};

G_DEFINE_FINAL_TYPE (CbBudgetTable, cb_budget_table, GTK_TYPE_WIDGET)

/* Helpers */

static char *
with_unit (char       *number,
           const char *unit)
{
  char *text;

  if (unit == NULL || *unit == '\0')
    return number;
  text = g_strdup_printf ("%s %s", number, unit);
  g_free (number);
  return text;
}

/* Overrides */

static void
cb_budget_table_dispose (GObject *object)
{
  CbBudgetTable *self = CB_BUDGET_TABLE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_BUDGET_TABLE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->lines);

  G_OBJECT_CLASS (cb_budget_table_parent_class)->dispose (object);
}

static void
cb_budget_table_class_init (CbBudgetTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_budget_table_dispose;

  /* The column factories in the template look the type up by name. */
  g_type_ensure (CB_TYPE_BUDGET_LINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/calbench/Calbench/ui/cb-budget-table.ui");
  gtk_widget_class_bind_template_child (widget_class, CbBudgetTable, table_title);
  gtk_widget_class_bind_template_child (widget_class, CbBudgetTable, table_scroll);
  gtk_widget_class_bind_template_child (widget_class, CbBudgetTable, budget_view);
  gtk_widget_class_bind_template_child (widget_class, CbBudgetTable, empty_label);
}

static void
cb_budget_table_init (CbBudgetTable *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->lines = g_list_store_new (CB_TYPE_BUDGET_LINE);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->lines)));
  gtk_column_view_set_model (self->budget_view, GTK_SELECTION_MODEL (selection));
}

/* Public API */

CbBudgetTable *
cb_budget_table_new (void)
{
  return g_object_new (CB_TYPE_BUDGET_TABLE, NULL);
}

void
cb_budget_table_show (CbBudgetTable     *self,
                      const CbBudget    *budget,
                      const CbGumOutput *output)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *title = NULL;
  double variance;

  g_return_if_fail (CB_IS_BUDGET_TABLE (self));

  gtk_widget_set_visible (self->table_scroll, budget != NULL && output != NULL);
  gtk_widget_set_visible (self->empty_label, budget == NULL || output == NULL);
  if (budget == NULL || output == NULL)
    {
      g_list_store_remove_all (self->lines);
      gtk_label_set_label (self->table_title, _("Uncertainty Budget"));
      return;
    }

  lines = g_ptr_array_new_with_free_func (g_object_unref);
  variance = output->u * output->u;
  for (guint i = 0; i < output->n_rows; i++)
    {
      const CbBudgetRow *row = &output->rows[i];
      int index = cb_budget_find_input (budget, row->input);
      const CbInput *input = index >= 0 ? cb_budget_get_input (budget, (guint) index) : NULL;
      const char *unit = input != NULL ? input->unit : NULL;
      g_autofree char *value = with_unit (cb_format_value (row->value), unit);
      g_autofree char *u = with_unit (cb_format_significant (row->u, 2), unit);
      g_autofree char *c = cb_format_significant (row->sensitivity, 3);
      g_autofree char *contribution = cb_format_significant (row->contribution, 2);
      g_autofree char *dof = cb_format_dof (row->dof);
      /* With correlations or second-order terms the shares need not add up
       * to one; each is still that input's part of u²(y). */
      double share = variance > 0 ? row->contribution * row->contribution / variance : 0;

      g_ptr_array_add (lines, cb_budget_line_new (row->input,
                                                  input != NULL ? input->description : NULL,
                                                  value, u, c, contribution, dof, share));
    }

  g_list_store_splice (self->lines, 0, g_list_model_get_n_items (G_LIST_MODEL (self->lines)),
                       lines->pdata, lines->len);

  /* TRANSLATORS: heading of the budget table; %s is the output's name */
  title = g_strdup_printf (_("Uncertainty Budget of %s"), output->name);
  gtk_label_set_label (self->table_title, title);
}

void
cb_budget_table_set_stale (CbBudgetTable *self,
                           gboolean       stale)
{
  g_return_if_fail (CB_IS_BUDGET_TABLE (self));

  if (stale)
    gtk_widget_add_css_class (GTK_WIDGET (self->budget_view), "cb-stale");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->budget_view), "cb-stale");
}

GListModel *
cb_budget_table_get_lines (CbBudgetTable *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_TABLE (self), NULL);

  return G_LIST_MODEL (self->lines);
}
