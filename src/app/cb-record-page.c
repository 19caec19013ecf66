/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-record-page.h"
#include "core/cb-record.h"
#include "store/cb-store-records.h"
#include "store/cb-store-tasks.h"

struct _CbRecordPage
{
  GtkWidget       parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkLabel       *conclusion_label;
  GtkFlowBox     *header_box;
  GtkBox         *blocks_box;

  CbSession      *session;
  CbRecord       *record;
  gint64          record_id;
  gboolean        folded;
};

G_DEFINE_FINAL_TYPE (CbRecordPage, cb_record_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static GtkWidget *
create_header_field (const char *label,
                     const char *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *caption = gtk_label_new (label);
  GtkWidget *text = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

static GtkWidget *
create_cell (const CbCell *cell)
{
  GtkWidget *label;

  switch (cell->state)
    {
    case CB_CELL_OK:
      label = gtk_label_new (cell->text);
      break;
    case CB_CELL_ERROR:
      label = gtk_label_new ("⚠");
      gtk_widget_set_tooltip_text (label, cell->message);
      gtk_widget_add_css_class (label, "error");
      break;
    default:
      label = gtk_label_new ("");
      break;
    }
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, cell->kind == CB_CELL_KIND_ENTERED ? "cb-cell-entered" : "cb-cell-computed");
  return label;
}

/* One block as a table: a column per value of a point, a row per point. */
static GtkWidget *
create_block (CbRecordPage *self,
              CbTemplate   *tmpl,
              guint         block,
              JsonArray    *points)
{
  const char *name = cb_template_get_block_name (tmpl, block);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (cb_template_get_block_title (tmpl, block));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *grid = gtk_grid_new ();
  g_autoptr(GList) columns = NULL;
  guint col = 1;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "cb-record-table");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), scroller);

  if (json_array_get_length (points) == 0)
    return box;
  columns = json_object_get_members (json_object_get_object_member (json_array_get_object_element (points, 0),
                                                                    "cells"));
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new ("#"), 0, 0, 1, 1);
  for (GList *l = columns; l != NULL; l = l->next, col++)
    {
      g_autofree char *id = g_strdup_printf ("%s/1/%s", name, (const char *) l->data);
      GtkWidget *header;
      CbCell cell;
      g_autofree char *text = NULL;

      if (!cb_record_get_cell (self->record, id, &cell, NULL))
        continue;
      text = cell.unit != NULL && g_strcmp0 (cell.unit, "1") != 0
             ? g_strdup_printf ("%s\n%s", cell.label, cell.unit) : g_strdup (cell.label);
      header = gtk_label_new (text);
      gtk_label_set_justify (GTK_LABEL (header), GTK_JUSTIFY_RIGHT);
      gtk_label_set_xalign (GTK_LABEL (header), 1);
      gtk_widget_add_css_class (header, "cb-column-header");
      gtk_grid_attach (GTK_GRID (grid), header, (int) col, 0, 1, 1);
    }

  for (guint p = 0; p < json_array_get_length (points); p++)
    {
      g_autofree char *number = g_strdup_printf ("%u", p + 1);
      GtkWidget *index = gtk_label_new (number);

      gtk_widget_add_css_class (index, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), index, 0, (int) p + 1, 1, 1);
      col = 1;
      for (GList *l = columns; l != NULL; l = l->next, col++)
        {
          g_autofree char *id = g_strdup_printf ("%s/%u/%s", name, p + 1, (const char *) l->data);
          CbCell cell;

          if (cb_record_get_cell (self->record, id, &cell, NULL))
            gtk_grid_attach (GTK_GRID (grid), create_cell (&cell), (int) col, (int) p + 1, 1, 1);
        }
    }
  return box;
}

static void
show_record (CbRecordPage *self)
{
  CbTemplate *tmpl = cb_record_get_template (self->record);
  g_autoptr(JsonNode) results = cb_record_results_to_json (self->record);
  JsonObject *blocks = json_object_get_object_member (json_node_get_object (results), "blocks");
  const char *conclusion = NULL;
  g_autofree char *subtitle = NULL;

  clear_box (GTK_WIDGET (self->header_box));
  clear_box (GTK_WIDGET (self->blocks_box));

  adw_window_title_set_title (self->window_title, cb_template_get_title (tmpl));
  subtitle = g_strdup_printf ("%s %s", cb_template_get_method_code (tmpl), cb_template_get_method_name (tmpl));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  for (guint i = 0; i < cb_template_get_n_header (tmpl); i++)
    {
      const char *name = cb_template_get_header_name (tmpl, i);

      gtk_flow_box_append (self->header_box,
                           create_header_field (cb_template_get_header_label (tmpl, i),
                                                cb_record_get_header (self->record, name)));
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->conclusion_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->conclusion_label), "error");
  switch (cb_record_get_conclusion (self->record, &conclusion))
    {
    case CB_CONCLUSION_PASS:
      gtk_label_set_text (self->conclusion_label, conclusion);
      gtk_widget_add_css_class (GTK_WIDGET (self->conclusion_label), "success");
      break;
    case CB_CONCLUSION_FAIL:
    case CB_CONCLUSION_UNDETERMINED:
      gtk_label_set_text (self->conclusion_label, conclusion);
      gtk_widget_add_css_class (GTK_WIDGET (self->conclusion_label), "error");
      break;
    default:
      gtk_label_set_text (self->conclusion_label, _("Not concluded yet: readings or inputs are missing"));
      break;
    }

  for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
    gtk_box_append (self->blocks_box,
                    create_block (self, tmpl, b,
                                  json_object_get_array_member (blocks, cb_template_get_block_name (tmpl, b))));
  gtk_stack_set_visible_child_name (self->stack, "record");
}

/* Overrides */

static void
cb_record_page_dispose (GObject *object)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_RECORD_PAGE);
  /* Children the template does not bind go too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_pointer (&self->record, cb_record_free);

  G_OBJECT_CLASS (cb_record_page_parent_class)->dispose (object);
}

static void
cb_record_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_record_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_record_page_class_init (CbRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_record_page_dispose;
  object_class->get_property = cb_record_page_get_property;
  object_class->set_property = cb_record_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, conclusion_label);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, blocks_box);
}

static void
cb_record_page_init (CbRecordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
cb_record_page_set_session (CbRecordPage *self,
                            CbSession    *session)
{
  g_return_if_fail (CB_IS_RECORD_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  g_clear_pointer (&self->record, cb_record_free);
  self->record_id = 0;
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

gboolean
cb_record_page_show_task (CbRecordPage  *self,
                          gint64         task_id,
                          GError       **error)
{
  g_autoptr(CbTask) task = NULL;
  CbStore *store;
  CbRecord *record;
  gint64 record_id;

  g_return_val_if_fail (CB_IS_RECORD_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  store = cb_session_get_store (self->session);
  task = cb_store_task_get (store, task_id, error);
  if (task == NULL)
    return FALSE;
  record_id = cb_store_record_find_for_task (store, task_id, error);
  if (record_id == 0)
    {
      g_autofree char *description = NULL;

      if (error != NULL && *error != NULL)
        return FALSE;
      g_clear_pointer (&self->record, cb_record_free);
      self->record_id = 0;
      adw_window_title_set_title (self->window_title, task->item);
      adw_window_title_set_subtitle (self->window_title, task->sample_label);
      adw_status_page_set_title (self->empty_status, _("No Record Yet"));
      /* TRANSLATORS: %s is a sample number */
      description = g_strdup_printf (_("The task of sample %s has no record started yet."),
                                     task->sample_label != NULL ? task->sample_label : "");
      adw_status_page_set_description (self->empty_status, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return TRUE;
    }
  record = cb_store_record_load (store, record_id, error);
  if (record == NULL)
    return FALSE;
  g_clear_pointer (&self->record, cb_record_free);
  self->record = record;
  self->record_id = record_id;
  show_record (self);
  if (task->sample_label != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", task->sample_label,
                                                   adw_window_title_get_subtitle (self->window_title));

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  return TRUE;
}

gint64
cb_record_page_get_record (CbRecordPage *self)
{
  g_return_val_if_fail (CB_IS_RECORD_PAGE (self), 0);

  return self->record_id;
}
