/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/cb-format.h"
#include "cb-input-row.h"

struct _CbInputRow
{
  GtkWidget     parent_instance;

  /* Template children */
  GtkWidget    *fields_box;
  GtkEntry     *name_entry;
  GtkEntry     *value_entry;
  GtkEntry     *unit_entry;
  GtkDropDown  *kind_dropdown;
  GtkWidget    *params_box;
  GtkLabel     *param1_label;
  GtkEntry     *param1_entry;
  GtkLabel     *param2_label;
  GtkEntry     *param2_entry;
  GtkEntry     *readings_entry;
  GtkEntry     *dof_entry;
  GtkWidget    *remove_button;
  GtkLabel     *error_label;

  char         *description;
  guint         loading;
  gboolean      edited;
  gboolean      has_error;
};

G_DEFINE_FINAL_TYPE (CbInputRow, cb_input_row, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE,
  ACTIVATE_LAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What each kind asks for; a NULL key leaves the slot hidden. */
typedef struct
{
  const char *distribution;
  const char *key1;
  const char *label1;
  const char *tooltip1;
  const char *key2;
  const char *label2;
  const char *tooltip2;
} KindInfo;

static const KindInfo kinds[] = {
  [CB_INPUT_ROW_KIND_STANDARD] = {
    NULL, "u", "u", N_("Standard uncertainty"), NULL, NULL, NULL },
  [CB_INPUT_ROW_KIND_EXPANDED_K] = {
    NULL, "U", "U", N_("Expanded uncertainty"), "k", "k", N_("Coverage factor") },
  [CB_INPUT_ROW_KIND_EXPANDED_P] = {
    NULL, "U", "U", N_("Expanded uncertainty"),
    "p", "p", N_("Coverage probability, with the degrees of freedom in ν") },
  [CB_INPUT_ROW_KIND_RECTANGULAR] = {
    "rectangular", "half_width", "a", N_("Half-width of the interval"), NULL, NULL, NULL },
  [CB_INPUT_ROW_KIND_TRIANGULAR] = {
    "triangular", "half_width", "a", N_("Half-width of the interval"), NULL, NULL, NULL },
  [CB_INPUT_ROW_KIND_ARCSINE] = {
    "arcsine", "half_width", "a", N_("Half-width of the interval"), NULL, NULL, NULL },
  [CB_INPUT_ROW_KIND_TRAPEZOIDAL] = {
    "trapezoidal", "half_width", "a", N_("Half-width of the base"),
    "beta", "β", N_("Ratio of the top half-width to the base half-width, 0 to 1") },
  [CB_INPUT_ROW_KIND_READINGS] = {
    NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

/* Helpers */

static const KindInfo *
kind_info (CbInputRowKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kinds))
    kind = CB_INPUT_ROW_KIND_STANDARD;
  return &kinds[kind];
}

static char *
entry_dup_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
set_entry_text (GtkEntry   *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static void
update_kind_fields (CbInputRow *self)
{
  CbInputRowKind kind = cb_input_row_get_kind (self);
  const KindInfo *info = kind_info (kind);
  gboolean readings = kind == CB_INPUT_ROW_KIND_READINGS;

  gtk_widget_set_visible (GTK_WIDGET (self->param1_label), info->key1 != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->param1_entry), info->key1 != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->param2_label), info->key2 != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->param2_entry), info->key2 != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->readings_entry), readings);

  if (info->key1 != NULL)
    {
      gtk_label_set_label (self->param1_label, info->label1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->param1_entry), _(info->tooltip1));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->param1_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->tooltip1),
                                      -1);
    }
  if (info->key2 != NULL)
    {
      gtk_label_set_label (self->param2_label, info->label2);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->param2_entry), _(info->tooltip2));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->param2_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->tooltip2),
                                      -1);
    }

  /* Readings give the value (their mean) and the degrees of freedom. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->value_entry), !readings);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dof_entry), !readings);
  if (readings)
    {
      set_entry_text (self->value_entry, NULL);
      set_entry_text (self->dof_entry, NULL);
    }
  gtk_entry_set_placeholder_text (self->value_entry, readings ? _("mean") : NULL);
  gtk_entry_set_placeholder_text (self->dof_entry, readings ? "n−1" : "∞");
}

static GtkEntry *
entry_for_field (CbInputRow *self,
                 const char *field)
{
  const KindInfo *info = kind_info (cb_input_row_get_kind (self));

  if (field == NULL)
    return self->name_entry;
  if (g_str_equal (field, "value"))
    return self->value_entry;
  if (g_str_equal (field, "unit"))
    return self->unit_entry;
  if (g_str_equal (field, "dof") || g_str_equal (field, "reliability"))
    return self->dof_entry;
  if (g_str_equal (field, "readings"))
    return self->readings_entry;
  if (info->key1 != NULL && g_str_equal (field, info->key1))
    return self->param1_entry;
  if (info->key2 != NULL && g_str_equal (field, info->key2))
    return self->param2_entry;
  /* A field this kind does not show ("U" given with "u"…) is best
   * pointed at through the first parameter. */
  if (info->key1 != NULL && !g_str_equal (field, "description") && !g_str_equal (field, "distribution"))
    return self->param1_entry;
  return self->name_entry;
}

static void
mark_field (CbInputRow *self,
            const char *field,
            const char *message)
{
  GtkEntry *entry = entry_for_field (self, field);

  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  if (!self->has_error)
    {
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  self->has_error = TRUE;
}

/* Adds the number typed in @entry as @key; an empty entry adds nothing and
 * leaves the budget to say what is missing. */
static gboolean
add_number (CbInputRow *self,
            JsonObject *object,
            const char *name,
            const char *key,
            GtkEntry   *entry)
{
  g_autofree char *text = entry_dup_text (entry);
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return TRUE;

  decimal = cb_decimal_parse (text, &error);
  if (decimal == NULL)
    {
      g_autofree char *message = g_strdup_printf ("inputs.%s.%s: %s", name, key, error->message);

      mark_field (self, key, message);
      return FALSE;
    }

  json_object_set_double_member (object, key, cb_decimal_to_double (decimal));
  return TRUE;
}

static gboolean
is_infinity_text (const char *text)
{
  return g_ascii_strcasecmp (text, "inf") == 0
         || g_ascii_strcasecmp (text, "infinity") == 0
         || g_str_equal (text, "∞");
}

static gboolean
add_dof (CbInputRow *self,
         JsonObject *object,
         const char *name)
{
  g_autofree char *text = entry_dup_text (self->dof_entry);

  if (is_infinity_text (text))
    {
      json_object_set_string_member (object, "dof", "inf");
      return TRUE;
    }
  return add_number (self, object, name, "dof", self->dof_entry);
}

static gboolean
add_readings (CbInputRow *self,
              JsonObject *object,
              const char *name)
{
  g_autofree char *text = entry_dup_text (self->readings_entry);
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonArray) array = NULL;
  guint index = 0;

  if (*text == '\0')
    {
      /* An empty list is still a list: the budget says how many it needs. */
      json_object_set_array_member (object, "readings", json_array_new ());
      return TRUE;
    }

  array = json_array_new ();
  parts = g_regex_split_simple ("[\\s,;]+", text, 0, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(CbDecimal) decimal = NULL;
      g_autoptr(GError) error = NULL;

      if (*parts[i] == '\0')
        continue;
      decimal = cb_decimal_parse (parts[i], &error);
      if (decimal == NULL)
        {
          g_autofree char *message = g_strdup_printf ("inputs.%s.readings[%u]: %s",
                                                      name, index, error->message);

          mark_field (self, "readings", message);
          return FALSE;
        }
      json_array_add_double_element (array, cb_decimal_to_double (decimal));
      index++;
    }

  json_object_set_array_member (object, "readings", g_steal_pointer (&array));
  return TRUE;
}

/* Text for an entry from a number (or whatever else) found in a file. */
static char *
node_to_entry_text (JsonNode *node)
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
load_member (JsonObject *object,
             const char *key,
             GtkEntry   *entry)
{
  g_autofree char *text = NULL;

  if (!json_object_has_member (object, key))
    return;
  text = node_to_entry_text (json_object_get_member (object, key));
  set_entry_text (entry, text);
}

/* The core's view of one input alone, to convert what a row cannot hold
 * (a reliability, a curvilinear trapezoid) into what it can. */
static CbBudget *
derive_input (const char *name,
              JsonNode   *input)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(JsonObject) outputs = json_object_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_member (inputs, name, json_node_copy (input));
  json_object_set_string_member (outputs, "_output", name);
  json_object_set_object_member (root, "inputs", g_steal_pointer (&inputs));
  json_object_set_object_member (root, "outputs", g_steal_pointer (&outputs));
  node = json_node_init_object (json_node_alloc (), root);
  return cb_budget_new_from_json (node, NULL);
}

/* A string member, or NULL when missing or of another type. */
static const char *
get_string_member (JsonObject *object,
                   const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
emit_changed (CbInputRow *self)
{
  if (self->loading > 0)
    return;
  self->edited = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Callbacks */

static void
on_field_changed (CbInputRow *self)
{
  emit_changed (self);
}

static void
on_kind_changed (CbInputRow *self)
{
  self->loading++;
  update_kind_fields (self);
  self->loading--;
  emit_changed (self);
}

static void
on_entry_activate (GtkEntry   *entry,
                   CbInputRow *self)
{
  GtkRoot *root;

  /* Enter moves on like Tab, and off the end of the row to the next one. */
  if (entry == self->dof_entry
      || (entry == self->readings_entry && cb_input_row_get_kind (self) == CB_INPUT_ROW_KIND_READINGS))
    {
      g_signal_emit (self, signals[ACTIVATE_LAST], 0);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root != NULL)
    gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD);
}

static void
on_remove_clicked (CbInputRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

/* Overrides */

static void
cb_input_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_INPUT_ROW);
  /* Any child the template does not bind goes too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_input_row_parent_class)->dispose (object);
}

static void
cb_input_row_finalize (GObject *object)
{
  CbInputRow *self = CB_INPUT_ROW (object);

  g_free (self->description);

  G_OBJECT_CLASS (cb_input_row_parent_class)->finalize (object);
}

static gboolean
cb_input_row_grab_focus (GtkWidget *widget)
{
  CbInputRow *self = CB_INPUT_ROW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
cb_input_row_class_init (CbInputRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_input_row_dispose;
  object_class->finalize = cb_input_row_finalize;
  widget_class->grab_focus = cb_input_row_grab_focus;

  /* Emitted when the user edits any field. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted when the user asks to remove the row. */
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted when Enter is pressed in the last field of the row. */
  signals[ACTIVATE_LAST] =
    g_signal_new ("activate-last", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/calbench/Calbench/ui/cb-input-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, fields_box);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, unit_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, params_box);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, param1_label);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, param1_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, param2_label);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, param2_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, readings_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, dof_entry);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CbInputRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
cb_input_row_init (CbInputRow *self)
{
  self->loading++;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_kind_fields (self);
  self->loading--;
}

/* Public API */

CbInputRow *
cb_input_row_new (void)
{
  return g_object_new (CB_TYPE_INPUT_ROW, NULL);
}

char *
cb_input_row_dup_name (CbInputRow *self)
{
  g_return_val_if_fail (CB_IS_INPUT_ROW (self), NULL);

  return entry_dup_text (self->name_entry);
}

void
cb_input_row_set_name (CbInputRow *self,
                       const char *name)
{
  g_return_if_fail (CB_IS_INPUT_ROW (self));

  /* Not an edit: a row named by the program is still untouched. */
  self->loading++;
  set_entry_text (self->name_entry, name);
  self->loading--;
}

CbInputRowKind
cb_input_row_get_kind (CbInputRow *self)
{
  guint selected;

  g_return_val_if_fail (CB_IS_INPUT_ROW (self), CB_INPUT_ROW_KIND_STANDARD);

  selected = gtk_drop_down_get_selected (self->kind_dropdown);
  if (selected >= G_N_ELEMENTS (kinds))
    return CB_INPUT_ROW_KIND_STANDARD;
  return (CbInputRowKind) selected;
}

void
cb_input_row_set_kind (CbInputRow     *self,
                       CbInputRowKind  kind)
{
  g_return_if_fail (CB_IS_INPUT_ROW (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kinds));

  gtk_drop_down_set_selected (self->kind_dropdown, kind);
}

gboolean
cb_input_row_get_edited (CbInputRow *self)
{
  g_return_val_if_fail (CB_IS_INPUT_ROW (self), FALSE);

  return self->edited;
}

void
cb_input_row_load (CbInputRow *self,
                   const char *name,
                   JsonNode   *input,
                   GPtrArray  *notes)
{
  CbInputRowKind kind = CB_INPUT_ROW_KIND_STANDARD;
  JsonObject *object;
  const char *distribution = NULL;

  g_return_if_fail (CB_IS_INPUT_ROW (self));
  g_return_if_fail (name != NULL);

  self->loading++;
  self->edited = TRUE;
  cb_input_row_clear_error (self);
  set_entry_text (self->name_entry, name);
  g_clear_pointer (&self->description, g_free);

  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf (_("inputs.%s: expected an object; the row was left empty"),
                                                 name));
      update_kind_fields (self);
      self->loading--;
      return;
    }
  object = json_node_get_object (input);

  distribution = get_string_member (object, "distribution");

  if (json_object_has_member (object, "readings"))
    kind = CB_INPUT_ROW_KIND_READINGS;
  else if (g_strcmp0 (distribution, "rectangular") == 0)
    kind = CB_INPUT_ROW_KIND_RECTANGULAR;
  else if (g_strcmp0 (distribution, "triangular") == 0)
    kind = CB_INPUT_ROW_KIND_TRIANGULAR;
  else if (g_strcmp0 (distribution, "arcsine") == 0)
    kind = CB_INPUT_ROW_KIND_ARCSINE;
  else if (g_strcmp0 (distribution, "trapezoidal") == 0)
    kind = CB_INPUT_ROW_KIND_TRAPEZOIDAL;
  else if (json_object_has_member (object, "U") && json_object_has_member (object, "p"))
    kind = CB_INPUT_ROW_KIND_EXPANDED_P;
  else if (json_object_has_member (object, "U"))
    kind = CB_INPUT_ROW_KIND_EXPANDED_K;

  gtk_drop_down_set_selected (self->kind_dropdown, kind);
  update_kind_fields (self);

  load_member (object, "value", self->value_entry);
  load_member (object, "unit", self->unit_entry);
  load_member (object, "dof", self->dof_entry);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->dof_entry)), "inf") == 0)
    set_entry_text (self->dof_entry, NULL);
  if (kind_info (kind)->key1 != NULL)
    load_member (object, kind_info (kind)->key1, self->param1_entry);
  if (kind_info (kind)->key2 != NULL)
    load_member (object, kind_info (kind)->key2, self->param2_entry);

  if (kind == CB_INPUT_ROW_KIND_READINGS)
    {
      JsonNode *node = json_object_get_member (object, "readings");
      g_autoptr(GString) text = g_string_new (NULL);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_autofree char *reading = node_to_entry_text (json_array_get_element (array, i));

              if (text->len > 0)
                g_string_append (text, ", ");
              g_string_append (text, reading != NULL ? reading : "?");
            }
        }
      set_entry_text (self->readings_entry, text->str);
    }

  /* The distributions a row has no fields for keep their standard
   * uncertainty, which is all the GUM needs of them. */
  if (distribution != NULL && kind_info (kind)->distribution == NULL
      && kind != CB_INPUT_ROW_KIND_READINGS)
    {
      g_autoptr(CbBudget) derived = derive_input (name, input);

      if (g_str_equal (distribution, "normal") || g_str_equal (distribution, "t"))
        {
          /* Same thing: "u" is the scale, and a finite ν makes it a t. */
          load_member (object, "u", self->param1_entry);
        }
      else if (derived != NULL)
        {
          const CbInput *derived_input = cb_budget_get_input (derived, 0);
          g_autofree char *u = cb_format_for_entry (derived_input->u);

          set_entry_text (self->param1_entry, u);
          if (notes != NULL)
            g_ptr_array_add (notes,
                             g_strdup_printf (_("inputs.%s: the %s distribution is shown as its standard uncertainty"),
                                              name, distribution));
        }
    }

  if (json_object_has_member (object, "reliability"))
    {
      g_autoptr(CbBudget) derived = derive_input (name, input);

      if (derived != NULL)
        {
          const CbInput *derived_input = cb_budget_get_input (derived, 0);
          g_autofree char *dof = cb_format_for_entry (derived_input->dof);

          set_entry_text (self->dof_entry, dof);
          if (notes != NULL)
            g_ptr_array_add (notes,
                             g_strdup_printf (_("inputs.%s: the reliability is shown as the degrees of freedom it gives"),
                                              name));
        }
    }

  self->description = g_strdup (get_string_member (object, "description"));

  if (notes != NULL)
    {
      static const char * const known[] = {
        "value", "u", "U", "k", "p", "dof", "reliability", "distribution", "half_width",
        "beta", "d", "readings", "unit", "description", NULL,
      };
      static const char * const parameters[] = { "u", "U", "k", "p", "half_width", "beta", NULL };
      g_autoptr(GList) members = json_object_get_members (object);
      const KindInfo *info = kind_info (kind);
      gboolean converted = distribution != NULL && info->distribution == NULL;

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          if (!g_strv_contains (known, key))
            g_ptr_array_add (notes, g_strdup_printf (_("inputs.%s.%s: not a part of an input; left out"),
                                                     name, key));
          /* A field the kind has no place for would silently change the
           * budget: say so. */
          else if (!converted && g_strv_contains (parameters, key)
                   && g_strcmp0 (key, info->key1) != 0 && g_strcmp0 (key, info->key2) != 0)
            g_ptr_array_add (notes, g_strdup_printf (_("inputs.%s.%s: not used with the other fields given; left out"),
                                                     name, key));
        }
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_entry), self->description);

  self->loading--;
}

JsonNode *
cb_input_row_build (CbInputRow *self)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *name = NULL;
  g_autofree char *unit = NULL;
  CbInputRowKind kind;
  const KindInfo *info;
  gboolean ok = TRUE;

  g_return_val_if_fail (CB_IS_INPUT_ROW (self), NULL);

  name = cb_input_row_dup_name (self);
  kind = cb_input_row_get_kind (self);
  info = kind_info (kind);
  object = json_object_new ();

  if (kind == CB_INPUT_ROW_KIND_READINGS)
    {
      ok &= add_readings (self, object, name);
    }
  else
    {
      ok &= add_number (self, object, name, "value", self->value_entry);
      if (info->distribution != NULL)
        json_object_set_string_member (object, "distribution", info->distribution);
      if (info->key1 != NULL)
        ok &= add_number (self, object, name, info->key1, self->param1_entry);
      if (info->key2 != NULL)
        ok &= add_number (self, object, name, info->key2, self->param2_entry);
      ok &= add_dof (self, object, name);
    }

  unit = entry_dup_text (self->unit_entry);
  if (*unit != '\0')
    json_object_set_string_member (object, "unit", unit);
  if (self->description != NULL && *self->description != '\0')
    json_object_set_string_member (object, "description", self->description);

  if (!ok)
    return NULL;
  return json_node_init_object (json_node_alloc (), object);
}

void
cb_input_row_clear_error (CbInputRow *self)
{
  GtkEntry *entries[] = {
    self->name_entry, self->value_entry, self->unit_entry, self->param1_entry,
    self->param2_entry, self->readings_entry, self->dof_entry,
  };

  g_return_if_fail (CB_IS_INPUT_ROW (self));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entries[i]), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entries[i]),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_label_set_label (self->error_label, "");
  self->has_error = FALSE;
}

void
cb_input_row_show_error (CbInputRow *self,
                         const char *field,
                         const char *message)
{
  g_return_if_fail (CB_IS_INPUT_ROW (self));
  g_return_if_fail (message != NULL);

  mark_field (self, field, message);
}

gboolean
cb_input_row_has_error (CbInputRow *self)
{
  g_return_val_if_fail (CB_IS_INPUT_ROW (self), FALSE);

  return self->has_error;
}

void
cb_input_row_show_computed (CbInputRow    *self,
                            const CbInput *input)
{
  g_return_if_fail (CB_IS_INPUT_ROW (self));

  if (cb_input_row_get_kind (self) != CB_INPUT_ROW_KIND_READINGS)
    return;

  if (input == NULL)
    {
      gtk_entry_set_placeholder_text (self->value_entry, _("mean"));
      gtk_entry_set_placeholder_text (self->dof_entry, "n−1");
    }
  else
    {
      g_autofree char *mean = cb_format_value (input->value);
      g_autofree char *dof = cb_format_dof (input->dof);

      gtk_entry_set_placeholder_text (self->value_entry, mean);
      gtk_entry_set_placeholder_text (self->dof_entry, dof);
    }
}

void
cb_input_row_add_to_size_groups (CbInputRow           *self,
                                 GtkSizeGroup * const *groups)
{
  GtkWidget *columns[CB_INPUT_ROW_N_COLUMNS];

  g_return_if_fail (CB_IS_INPUT_ROW (self));
  g_return_if_fail (groups != NULL);

  columns[CB_INPUT_ROW_COLUMN_NAME] = GTK_WIDGET (self->name_entry);
  columns[CB_INPUT_ROW_COLUMN_VALUE] = GTK_WIDGET (self->value_entry);
  columns[CB_INPUT_ROW_COLUMN_UNIT] = GTK_WIDGET (self->unit_entry);
  columns[CB_INPUT_ROW_COLUMN_KIND] = GTK_WIDGET (self->kind_dropdown);
  columns[CB_INPUT_ROW_COLUMN_PARAMETERS] = self->params_box;
  columns[CB_INPUT_ROW_COLUMN_DOF] = GTK_WIDGET (self->dof_entry);
  columns[CB_INPUT_ROW_COLUMN_REMOVE] = self->remove_button;

  for (guint i = 0; i < CB_INPUT_ROW_N_COLUMNS; i++)
    if (groups[i] != NULL)
      gtk_size_group_add_widget (groups[i], columns[i]);
}

void
cb_input_row_focus (CbInputRow *self)
{
  g_return_if_fail (CB_IS_INPUT_ROW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}
