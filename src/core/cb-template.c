/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-json-text.h"
#include "cb-shipped-templates.h"
#include "cb-rounding.h"
#include "cb-template-private.h"

#define FORMAT_NAME "calbench-template/1"
#define MAX_POINTS  10000
#define MAX_REPEATS 1000

G_DEFINE_QUARK (cb-template-error-quark, cb_template_error)

static const char *const header_binds[] = {
  "customer", "customer_address", "instrument", "model", "serial", "maker", "range",
  "accuracy", "method", "receipt_date", "measure_date", "performer", "certificate_number",
  "sample_label", NULL,
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
fail (GError     **error,
      int          code,
      const char  *path,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError     **error,
      int          code,
      const char  *path,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CB_TEMPLATE_ERROR, code, "%s: %s", path, message);
  return FALSE;
}

static JsonObject *
get_object (JsonNode     *node,
            const char   *path,
            const char  **allowed,
            GError      **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("expected an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);

        fail (error, CB_TEMPLATE_ERROR_INVALID, path,
              _("unknown field '%s' (expected one of: %s)"), (const char *) l->data, list);
        return NULL;
      }
  return object;
}

static gboolean
get_string (JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is missing"), member);
      *out = NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (required && *text == '\0')
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is empty"), member);
      *out = g_strdup (text);
      return TRUE;
    }
  /* A number where a text (a value, an expression) is expected reads as the
   * shortest text of that number. */
  if (JSON_NODE_HOLDS_VALUE (node)
      && (json_node_get_value_type (node) == G_TYPE_DOUBLE
          || json_node_get_value_type (node) == G_TYPE_INT64))
    {
      g_autoptr(CbDecimal) decimal = cb_decimal_from_double (json_node_get_double (node));

      *out = cb_decimal_to_string (decimal);
      return TRUE;
    }
  return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s': expected a text"), member);
}

static gboolean
get_number (JsonObject  *object,
            const char  *path,
            const char  *member,
            double       fallback,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64)
      || !isfinite (json_node_get_double (node)))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s': expected a number"), member);
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *path,
           const char  *member,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s': expected an array"), member);
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
is_valid_name (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.'))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Items and scopes                                                    */
/* ------------------------------------------------------------------ */

static void
item_free (CbItem *item)
{
  g_free (item->name);
  g_free (item->label);
  g_free (item->label_en);
  g_free (item->path);
  g_free (item->unit_text);
  g_clear_pointer (&item->unit, cb_unit_free);
  g_clear_pointer (&item->expr, cb_expr_unref);
  g_clear_pointer (&item->sensitivity, cb_expr_unref);
  g_clear_pointer (&item->round_interval, cb_expr_unref);
  g_free (item->default_text);
  g_strfreev (item->choices);
  g_free (item->role);
  g_free (item->field);
  g_free (item->min_text);
  g_free (item->max_text);
  g_clear_pointer (&item->uses, g_array_unref);
  g_free (item->expr_text);
  g_free (item->sensitivity_text);
  g_free (item->interval_text);
  g_free (item->align_name);
  g_free (item->of_name);
  g_free (item->fit_x_name);
  g_free (item->fit_y_name);
  g_free (item);
}

static CbItem *
item_new (CbTemplate *tmpl,
          CbItemKind  kind,
          const char *name,
          const char *path)
{
  CbItem *item = g_new0 (CbItem, 1);

  item->kind = kind;
  item->name = g_strdup (name);
  item->path = g_strdup (path);
  item->dof = INFINITY;
  item->k = NAN;
  item->uses = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (tmpl->items, item);
  return item;
}

static void
scope_init (CbScope *scope)
{
  scope->items = g_ptr_array_new ();
  scope->index = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
scope_clear (CbScope *scope)
{
  g_clear_pointer (&scope->items, g_ptr_array_unref);
  g_clear_pointer (&scope->index, g_hash_table_unref);
}

static CbItem *
scope_lookup (const CbScope *scope,
              const char    *name)
{
  guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (scope->index, name));

  return slot == 0 ? NULL : g_ptr_array_index (scope->items, slot - 1);
}

static gboolean
scope_add (CbScope  *scope,
           CbItem   *item,
           GError  **error)
{
  CbItem *other = scope_lookup (scope, item->name);

  if (other != NULL)
    return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, item->path,
                 _("the name '%s' is already used by %s"), item->name, other->path);
  item->slot = scope->items->len;
  g_ptr_array_add (scope->items, item);
  g_hash_table_insert (scope->index, item->name, GUINT_TO_POINTER (item->slot + 1));
  return TRUE;
}

/* Adds @src's items first: the slots of a block start with the record's. */
static void
scope_inherit (CbScope       *dest,
               const CbScope *src)
{
  for (guint i = 0; i < src->items->len; i++)
    {
      CbItem *item = g_ptr_array_index (src->items, i);

      g_ptr_array_add (dest->items, item);
      g_hash_table_insert (dest->index, item->name, GUINT_TO_POINTER (i + 1));
    }
}

static guint
scope_slot (const CbScope *scope,
            const char    *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (scope->index, name)) - 1;
}

static const CbUnit *
scope_unit (const char *name,
            gpointer    user_data)
{
  CbItem *item = scope_lookup (user_data, name);

  return item != NULL ? item->unit : NULL;
}

static gboolean
parse_unit (CbItem      *item,
            JsonObject  *object,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!get_string (object, item->path, "unit", FALSE, &item->unit_text, error))
    return FALSE;
  if (item->unit_text == NULL)
    return fail (error, CB_TEMPLATE_ERROR_UNIT, item->path,
                 _("'%s' has no unit (write \"1\" when it is dimensionless)"), item->name);
  item->unit = cb_unit_parse (item->unit_text, &local_error);
  if (item->unit == NULL)
    return fail (error, CB_TEMPLATE_ERROR_UNIT, item->path, "%s", local_error->message);
  return TRUE;
}

/* Parses @text and binds it to the scope; records the slots it reads. */
static CbExpr *
compile_expr (const CbScope  *scope,
              const char     *text,
              const char     *path,
              const char     *what,
              GArray         *uses,
              GError        **error)
{
  g_autoptr(CbExpr) expr = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree const char **names = NULL;
  const char * const *used;

  expr = cb_expr_parse (text, &local_error);
  if (expr == NULL)
    {
      fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("%s '%s': %s"), what, text, local_error->message);
      return NULL;
    }

  names = g_new0 (const char *, scope->items->len + 1);
  for (guint i = 0; i < scope->items->len; i++)
    names[i] = ((CbItem *) g_ptr_array_index (scope->items, i))->name;
  if (!cb_expr_bind (expr, names, scope->items->len, &local_error))
    {
      fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path, _("%s '%s': %s"), what, text,
            local_error->message);
      return NULL;
    }

  used = cb_expr_get_names (expr);
  for (guint i = 0; uses != NULL && used[i] != NULL; i++)
    {
      guint slot = scope_slot (scope, used[i]);

      g_array_append_val (uses, slot);
    }
  return g_steal_pointer (&expr);
}

static gboolean
check_unit (const CbScope  *scope,
            const CbExpr   *expr,
            const CbUnit   *expected,
            const char     *path,
            const char     *what,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CbUnit) unit = NULL;

  unit = cb_expr_infer_unit (expr, scope_unit, (gpointer) scope, &local_error);
  if (unit == NULL)
    return fail (error, CB_TEMPLATE_ERROR_UNIT, path, "%s", local_error->message);
  if (!cb_unit_equal (unit, expected))
    {
      g_autofree char *found = cb_unit_to_string (unit);
      g_autofree char *wanted = cb_unit_to_string (expected);

      return fail (error, CB_TEMPLATE_ERROR_UNIT, path,
                   _("%s '%s' is in %s but should be in %s"),
                   what, cb_expr_get_text (expr), found, wanted);
    }
  return TRUE;
}

static gboolean
parse_round (CbItem      *item,
             JsonObject  *object,
             GError     **error)
{
  static const char *fields[] = { "interval", "significant", "align", NULL };
  g_autofree char *path = g_strdup_printf ("%s.round", item->path);
  JsonNode *node = json_object_get_member (object, "round");
  JsonObject *round;
  guint n = 0;

  item->round = CB_ROUND_NONE;
  if (node == NULL)
    return TRUE;
  round = get_object (node, path, fields, error);
  if (round == NULL)
    return FALSE;

  if (json_object_has_member (round, "interval"))
    {
      n++;
      item->round = CB_ROUND_INTERVAL;
      if (!get_string (round, path, "interval", TRUE, &item->interval_text, error))
        return FALSE;
    }
  if (json_object_has_member (round, "significant"))
    {
      double digits;

      n++;
      item->round = CB_ROUND_SIGNIFICANT;
      if (!get_number (round, path, "significant", 0, &digits, error))
        return FALSE;
      if (digits != floor (digits) || digits < 1 || digits > 15)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                     _("'significant': expected a whole number of digits from 1 to 15"));
      item->round_digits = (guint) digits;
    }
  if (json_object_has_member (round, "align"))
    {
      n++;
      item->round = CB_ROUND_ALIGN;
      if (!get_string (round, path, "align", TRUE, &item->align_name, error))
        return FALSE;
    }
  if (n != 1)
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                 _("expected exactly one of 'interval', 'significant' or 'align'"));
  return TRUE;
}

/* Label, unit and name common to every named thing. */
static CbItem *
parse_named (CbTemplate   *tmpl,
             CbItemKind    kind,
             JsonNode     *node,
             const char   *path,
             const char  **fields,
             const char   *name_member,
             JsonObject  **object_out,
             GError      **error)
{
  JsonObject *object;
  g_autofree char *name = NULL;
  CbItem *item;

  object = get_object (node, path, fields, error);
  if (object == NULL)
    return NULL;
  if (!get_string (object, path, name_member, TRUE, &name, error))
    return NULL;
  if (!is_valid_name (name))
    {
      fail (error, CB_TEMPLATE_ERROR_INVALID, path,
            _("'%s' is not a usable name (letters, digits and _, not starting with a digit)"), name);
      return NULL;
    }

  {
    g_autofree char *named_path = g_strdup_printf ("%s (%s)", path, name);

    item = item_new (tmpl, kind, name, named_path);
  }
  if (!get_string (object, path, "label", FALSE, &item->label, error)
      || (json_object_has_member (object, "label_en")
          && !get_string (object, path, "label_en", FALSE, &item->label_en, error)))
    return NULL;
  if (item->label == NULL)
    item->label = g_strdup (name);
  if (object_out != NULL)
    *object_out = object;
  return item;
}

/* Orders @items (computed items of one scope) so that each comes after the
 * computed items it uses. */
static gboolean
sort_computed (GPtrArray      *items,
               const CbScope  *scope,
               GPtrArray     **sorted_out,
               GError        **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GHashTable) in_set = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) state = g_hash_table_new (NULL, NULL);   /* 1 visiting, 2 done */
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (in_set, g_ptr_array_index (items, i));

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *root = g_ptr_array_index (items, i);
      g_autoptr(GArray) positions = g_array_new (FALSE, TRUE, sizeof (guint));

      if (g_hash_table_contains (state, root))
        continue;

      /* Iterative depth-first search: the stack holds the path. */
      g_ptr_array_add (stack, root);
      g_array_set_size (positions, 1);
      g_hash_table_insert (state, root, GUINT_TO_POINTER (1));

      while (stack->len > 0)
        {
          CbItem *item = g_ptr_array_index (stack, stack->len - 1);
          guint *position = &g_array_index (positions, guint, positions->len - 1);

          if (*position < item->uses->len)
            {
              guint slot = g_array_index (item->uses, guint, (*position)++);
              CbItem *used = g_ptr_array_index (scope->items, slot);
              guint used_state;

              if (!g_hash_table_contains (in_set, used))
                continue;
              used_state = GPOINTER_TO_UINT (g_hash_table_lookup (state, used));
              if (used_state == 2)
                continue;
              if (used_state == 1)
                {
                  GString *cycle = g_string_new (used->name);
                  guint start = 0;

                  while (g_ptr_array_index (stack, start) != used)
                    start++;
                  for (guint j = start + 1; j < stack->len; j++)
                    g_string_append_printf (cycle, " → %s",
                                            ((CbItem *) g_ptr_array_index (stack, j))->name);
                  g_string_append_printf (cycle, " → %s", used->name);
                  fail (error, CB_TEMPLATE_ERROR_CYCLE, used->path,
                        _("depends on itself: %s"), cycle->str);
                  g_string_free (cycle, TRUE);
                  return FALSE;
                }
              g_hash_table_insert (state, used, GUINT_TO_POINTER (1));
              g_ptr_array_add (stack, used);
              g_array_set_size (positions, positions->len + 1);
              g_array_index (positions, guint, positions->len - 1) = 0;
            }
          else
            {
              g_hash_table_insert (state, item, GUINT_TO_POINTER (2));
              g_ptr_array_add (sorted, item);
              g_ptr_array_set_size (stack, stack->len - 1);
              g_array_set_size (positions, positions->len - 1);
            }
        }
    }

  *sorted_out = g_steal_pointer (&sorted);
  return TRUE;
}

/* Compiles the expression, sensitivity and rounding of a computed item. */
static gboolean
compile_item (CbItem         *item,
              const CbScope  *scope,
              const CbUnit   *expected,
              GError        **error)
{
  if (item->expr_text != NULL)
    {
      item->expr = compile_expr (scope, item->expr_text, item->path,
                                 item->kind == CB_ITEM_COMPONENT ? "u" : _("expression"),
                                 item->uses, error);
      if (item->expr == NULL)
        return FALSE;
    }

  if (item->sensitivity_text != NULL)
    {
      g_autoptr(CbUnit) c_unit = NULL;
      g_autoptr(CbUnit) u_unit = NULL;
      g_autoptr(CbUnit) product = NULL;

      item->sensitivity = compile_expr (scope, item->sensitivity_text, item->path, "c",
                                        item->uses, error);
      if (item->sensitivity == NULL)
        return FALSE;
      u_unit = cb_expr_infer_unit (item->expr, scope_unit, (gpointer) scope, NULL);
      c_unit = cb_expr_infer_unit (item->sensitivity, scope_unit, (gpointer) scope, NULL);
      if (u_unit == NULL || c_unit == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNIT, item->path, _("the units of u and c do not agree"));
      product = cb_unit_multiply (c_unit, u_unit);
      if (!cb_unit_equal (product, expected))
        {
          g_autofree char *found = cb_unit_to_string (product);
          g_autofree char *wanted = cb_unit_to_string (expected);

          return fail (error, CB_TEMPLATE_ERROR_UNIT, item->path,
                       _("c·u is in %s but should be in %s"), found, wanted);
        }
    }
  else if (item->expr != NULL
           && !check_unit (scope, item->expr, expected, item->path,
                           item->kind == CB_ITEM_COMPONENT ? "u" : _("expression"), error))
    return FALSE;

  if (item->interval_text != NULL)
    {
      item->round_interval = compile_expr (scope, item->interval_text, item->path,
                                           _("rounding interval"), item->uses, error);
      if (item->round_interval == NULL
          || !check_unit (scope, item->round_interval, item->unit, item->path,
                          _("rounding interval"), error))
        return FALSE;
    }

  if (item->align_name != NULL)
    {
      CbItem *target = scope_lookup (scope, item->align_name);

      if (target == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, item->path,
                     _("round.align: unknown name '%s'"), item->align_name);
      if (target == item)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, item->path,
                     _("round.align: an item cannot align to itself"));
      item->round_align = target->slot;
      g_array_append_val (item->uses, target->slot);
    }
  return TRUE;
}

static void
check_free (CbCheck *check)
{
  g_free (check->name);
  g_free (check->label);
  g_free (check->path);
  g_clear_pointer (&check->error, cb_expr_unref);
  g_clear_pointer (&check->limit, cb_expr_unref);
  g_clear_pointer (&check->expanded, cb_expr_unref);
  g_clear_pointer (&check->uses, g_array_unref);
  g_free (check);
}

static gboolean
parse_checks (JsonObject     *parent,
              const char     *parent_path,
              const CbScope  *scope,
              GPtrArray      *checks,
              GError        **error)
{
  static const char *fields[] = { "name", "label", "label_en", "error", "limit", "U", "k",
                                  "rule", "guard", NULL };
  JsonArray *array;

  if (!get_array (parent, parent_path, "checks", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.checks[%u]", parent_path, i);
      g_autofree char *error_text = NULL;
      g_autofree char *limit_text = NULL;
      g_autofree char *expanded_text = NULL;
      g_autofree char *rule_text = NULL;
      g_autoptr(CbUnit) error_unit = NULL;
      g_autoptr(GError) local_error = NULL;
      CbCheck *check;
      JsonObject *object;

      object = get_object (json_array_get_element (array, i), path, fields, error);
      if (object == NULL)
        return FALSE;
      check = g_new0 (CbCheck, 1);
      g_ptr_array_add (checks, check);
      check->path = g_strdup (path);
      check->uses = g_array_new (FALSE, FALSE, sizeof (guint));
      if (!get_string (object, path, "name", TRUE, &check->name, error)
          || !get_string (object, path, "label", FALSE, &check->label, error)
          || !get_string (object, path, "error", TRUE, &error_text, error)
          || !get_string (object, path, "limit", TRUE, &limit_text, error)
          || !get_string (object, path, "U", FALSE, &expanded_text, error)
          || !get_string (object, path, "rule", FALSE, &rule_text, error)
          || !get_number (object, path, "k", 2.0, &check->k, error)
          || !get_number (object, path, "guard", 1.0, &check->guard, error))
        return FALSE;
      if (!is_valid_name (check->name))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is not a usable name"), check->name);
      for (guint j = 0; j + 1 < checks->len; j++)
        if (g_str_equal (((CbCheck *) g_ptr_array_index (checks, j))->name, check->name))
          return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, path,
                       _("the check '%s' is defined twice"), check->name);
      if (check->label == NULL)
        check->label = g_strdup (check->name);
      if (check->k <= 0)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'k': expected a positive number"));
      if (check->guard < 0)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'guard': expected a number ≥ 0"));
      check->rule = CB_DECISION_RULE_SIMPLE;
      if (rule_text != NULL && !cb_decision_rule_from_string (rule_text, &check->rule))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                     _("'rule': unknown decision rule '%s' (expected simple, guarded-acceptance, "
                       "guarded-rejection, jjf1094 or ilac-g8)"), rule_text);

      check->error = compile_expr (scope, error_text, path, "error", check->uses, error);
      if (check->error == NULL)
        return FALSE;
      error_unit = cb_expr_infer_unit (check->error, scope_unit, (gpointer) scope, &local_error);
      if (error_unit == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNIT, path, "%s", local_error->message);
      check->limit = compile_expr (scope, limit_text, path, "limit", check->uses, error);
      if (check->limit == NULL
          || !check_unit (scope, check->limit, error_unit, path, "limit", error))
        return FALSE;
      if (expanded_text != NULL)
        {
          check->expanded = compile_expr (scope, expanded_text, path, "U", check->uses, error);
          if (check->expanded == NULL
              || !check_unit (scope, check->expanded, error_unit, path, "U", error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */
/* ------------------------------------------------------------------ */

static gboolean
parse_header (CbTemplate  *tmpl,
              JsonObject  *root,
              GError     **error)
{
  static const char *fields[] = { "name", "label", "label_en", "bind", NULL };
  JsonArray *array;

  if (!get_array (root, "header", "header", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("header[%u]", i);
      CbHeaderField *field = g_new0 (CbHeaderField, 1);
      JsonObject *object;

      g_ptr_array_add (tmpl->header, field);
      object = get_object (json_array_get_element (array, i), path, fields, error);
      if (object == NULL
          || !get_string (object, path, "name", TRUE, &field->name, error)
          || !get_string (object, path, "label", TRUE, &field->label, error)
          || !get_string (object, path, "label_en", FALSE, &field->label_en, error)
          || !get_string (object, path, "bind", TRUE, &field->bind, error))
        return FALSE;
      if (!g_strv_contains (header_binds, field->bind))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) header_binds);

          return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                       _("'bind': unknown field '%s' (expected one of: %s)"), field->bind, list);
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (((CbHeaderField *) g_ptr_array_index (tmpl->header, j))->name, field->name))
          return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, path,
                       _("the header field '%s' is defined twice"), field->name);
    }
  return TRUE;
}

static gboolean
parse_inputs (CbTemplate  *tmpl,
              JsonObject  *root,
              GError     **error)
{
  static const char *parameter_fields[] = { "name", "label", "label_en", "unit", "default",
                                            "choices", NULL };
  static const char *standard_fields[] = { "role", "label", "label_en", "attributes", NULL };
  static const char *attribute_fields[] = { "name", "label", "label_en", "unit", "field", NULL };
  static const char *environment_fields[] = { "name", "label", "label_en", "unit", "min", "max",
                                              "action", NULL };
  JsonArray *array;

  if (!get_array (root, "parameters", "parameters", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("parameters[%u]", i);
      JsonObject *object;
      JsonArray *choices;
      CbItem *item;

      item = parse_named (tmpl, CB_ITEM_PARAMETER, json_array_get_element (array, i), path,
                          parameter_fields, "name", &object, error);
      if (item == NULL
          || !parse_unit (item, object, error)
          || !get_string (object, path, "default", FALSE, &item->default_text, error)
          || !get_array (object, path, "choices", &choices, error))
        return FALSE;
      if (choices != NULL)
        {
          item->choices = g_new0 (char *, json_array_get_length (choices) + 1);
          for (guint j = 0; j < json_array_get_length (choices); j++)
            {
              JsonNode *choice = json_array_get_element (choices, j);

              if (!JSON_NODE_HOLDS_VALUE (choice) || json_node_get_value_type (choice) != G_TYPE_STRING)
                return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                             _("'choices': expected texts such as \"1.6\""));
              item->choices[j] = g_strdup (json_node_get_string (choice));
              if (cb_decimal_parse (item->choices[j], NULL) == NULL)
                return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                             _("'choices': '%s' is not a number"), item->choices[j]);
            }
        }
      if (!scope_add (&tmpl->global, item, error))
        return FALSE;
      g_ptr_array_add (tmpl->inputs, item);
      g_ptr_array_add (tmpl->parameters, item);
    }

  if (!get_array (root, "standards", "standards", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("standards[%u]", i);
      g_autofree char *role = NULL;
      JsonArray *attributes;
      JsonObject *object;

      object = get_object (json_array_get_element (array, i), path, standard_fields, error);
      if (object == NULL
          || !get_string (object, path, "role", TRUE, &role, error)
          || !get_array (object, path, "attributes", &attributes, error))
        return FALSE;
      if (!is_valid_name (role))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is not a usable role name"), role);
      for (guint j = 0; j < tmpl->standard_roles->len; j++)
        if (g_str_equal (g_ptr_array_index (tmpl->standard_roles, j), role))
          return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, path, _("the role '%s' is defined twice"), role);
      g_ptr_array_add (tmpl->standard_roles, g_strdup (role));

      for (guint j = 0; attributes != NULL && j < json_array_get_length (attributes); j++)
        {
          g_autofree char *attribute_path = g_strdup_printf ("%s.attributes[%u]", path, j);
          JsonObject *attribute;
          CbItem *item;

          item = parse_named (tmpl, CB_ITEM_STANDARD, json_array_get_element (attributes, j),
                              attribute_path, attribute_fields, "name", &attribute, error);
          if (item == NULL
              || !parse_unit (item, attribute, error)
              || !get_string (attribute, attribute_path, "field", FALSE, &item->field, error)
              || !scope_add (&tmpl->global, item, error))
            return FALSE;
          item->role = g_strdup (role);
          g_ptr_array_add (tmpl->inputs, item);
        }
    }

  if (!get_array (root, "environment", "environment", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("environment[%u]", i);
      g_autofree char *action = NULL;
      JsonObject *object;
      CbItem *item;

      item = parse_named (tmpl, CB_ITEM_ENVIRONMENT, json_array_get_element (array, i), path,
                          environment_fields, "name", &object, error);
      if (item == NULL
          || !parse_unit (item, object, error)
          || !get_string (object, path, "min", FALSE, &item->min_text, error)
          || !get_string (object, path, "max", FALSE, &item->max_text, error)
          || !get_string (object, path, "action", FALSE, &action, error))
        return FALSE;
      if ((item->min_text != NULL && cb_decimal_parse (item->min_text, NULL) == NULL)
          || (item->max_text != NULL && cb_decimal_parse (item->max_text, NULL) == NULL))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'min' and 'max': expected numbers"));
      if (action != NULL && !g_str_equal (action, "warn") && !g_str_equal (action, "block"))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                     _("'action': expected \"warn\" or \"block\", found '%s'"), action);
      item->blocking = action != NULL && g_str_equal (action, "block");
      if (!scope_add (&tmpl->global, item, error))
        return FALSE;
      g_ptr_array_add (tmpl->inputs, item);
    }
  return TRUE;
}

static const char *item_fields[] = { "name", "label", "label_en", "unit", "expr", "round", NULL };

/* ITEMs of a record-level or block section: named into @scope now,
 * compiled once the scope is complete. */
static gboolean
parse_items (CbTemplate  *tmpl,
             JsonObject  *parent,
             const char  *parent_path,
             const char  *member,
             CbItemKind   kind,
             CbScope     *scope,
             GPtrArray   *out,
             GError     **error)
{
  JsonArray *array;

  if (!get_array (parent, parent_path, member, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = *parent_path != '\0'
        ? g_strdup_printf ("%s.%s[%u]", parent_path, member, i)
        : g_strdup_printf ("%s[%u]", member, i);
      JsonObject *object;
      CbItem *item;

      item = parse_named (tmpl, kind, json_array_get_element (array, i), path, item_fields,
                          "name", &object, error);
      if (item == NULL
          || !parse_unit (item, object, error)
          || !get_string (object, path, "expr", TRUE, &item->expr_text, error)
          || !parse_round (item, object, error)
          || !scope_add (scope, item, error))
        return FALSE;
      g_ptr_array_add (out, item);
    }
  return TRUE;
}

static gboolean
compile_items (GPtrArray      *items,
               const CbScope  *scope,
               GError        **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (!compile_item (item, scope, item->unit, error))
        return FALSE;
    }
  return TRUE;
}

static void
block_free (CbBlock *block)
{
  g_free (block->name);
  g_free (block->title);
  g_free (block->title_en);
  scope_clear (&block->scope);
  g_clear_pointer (&block->attributes, g_ptr_array_unref);
  g_clear_pointer (&block->readings, g_ptr_array_unref);
  g_clear_pointer (&block->stats, g_ptr_array_unref);
  g_clear_pointer (&block->computed, g_ptr_array_unref);
  g_clear_pointer (&block->checks, g_ptr_array_unref);
  g_clear_pointer (&block->point_texts, g_ptr_array_unref);
  g_clear_pointer (&block->span, cb_expr_unref);
  g_clear_pointer (&block->offset, cb_expr_unref);
  g_clear_pointer (&block->percents, g_array_unref);
  if (block->downstream != NULL)
    for (guint i = 0; block->downstream[i] != NULL; i++)
      g_array_unref (block->downstream[i]);
  g_free (block->downstream);
  g_clear_pointer (&block->summaries, g_array_unref);
  g_free (block);
}

static gboolean
parse_points (CbTemplate  *tmpl,
              CbBlock     *block,
              JsonObject  *object,
              const char  *block_path,
              GError     **error)
{
  static const char *percent_fields[] = { "span", "offset", "percents", NULL };
  g_autofree char *path = g_strdup_printf ("%s.points", block_path);
  JsonNode *node = json_object_get_member (object, "points");

  if (node == NULL)
    return fail (error, CB_TEMPLATE_ERROR_INVALID, block_path, _("'points' is missing"));

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      g_ptr_array_add (fields, (gpointer) "nominal");
      for (guint i = 0; i < block->attributes->len; i++)
        g_ptr_array_add (fields, ((CbItem *) g_ptr_array_index (block->attributes, i))->name);
      g_ptr_array_add (fields, NULL);

      if (json_array_get_length (array) > MAX_POINTS)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("more than %d points"), MAX_POINTS);
      block->point_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *point_path = g_strdup_printf ("%s[%u]", path, i);
          char **texts = g_new0 (char *, fields->len);
          JsonObject *point;

          g_ptr_array_add (block->point_texts, texts);
          point = get_object (json_array_get_element (array, i), point_path,
                              (const char **) fields->pdata, error);
          if (point == NULL)
            return FALSE;
          for (guint j = 0; j + 1 < fields->len; j++)
            {
              g_autoptr(GError) local_error = NULL;

              if (!get_string (point, point_path, g_ptr_array_index (fields, j), TRUE, &texts[j], error))
                return FALSE;
              if (cb_decimal_parse (texts[j], &local_error) == NULL)
                return fail (error, CB_TEMPLATE_ERROR_INVALID, point_path, "%s: %s",
                             (const char *) g_ptr_array_index (fields, j), local_error->message);
            }
        }
      return TRUE;
    }

  {
    g_autofree char *span = NULL;
    g_autofree char *offset = NULL;
    JsonObject *percent;
    JsonArray *percents;

    percent = get_object (node, path, percent_fields, error);
    if (percent == NULL
        || !get_string (percent, path, "span", TRUE, &span, error)
        || !get_string (percent, path, "offset", FALSE, &offset, error)
        || !get_array (percent, path, "percents", &percents, error))
      return FALSE;
    if (percents == NULL || json_array_get_length (percents) == 0)
      return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'percents': expected a list of numbers"));
    block->percents = g_array_new (FALSE, FALSE, sizeof (double));
    for (guint i = 0; i < json_array_get_length (percents) && i < MAX_POINTS; i++)
      {
        JsonNode *element = json_array_get_element (percents, i);
        double value;

        if (!JSON_NODE_HOLDS_VALUE (element)
            || (json_node_get_value_type (element) != G_TYPE_DOUBLE
                && json_node_get_value_type (element) != G_TYPE_INT64))
          return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                       _("'percents'[%u]: expected a number"), i);
        value = json_node_get_double (element);
        g_array_append_val (block->percents, value);
      }
    block->span = compile_expr (&tmpl->global, span, path, "span", NULL, error);
    if (block->span == NULL
        || !check_unit (&tmpl->global, block->span, block->nominal->unit, path, "span", error))
      return FALSE;
    if (offset != NULL)
      {
        block->offset = compile_expr (&tmpl->global, offset, path, "offset", NULL, error);
        if (block->offset == NULL
            || !check_unit (&tmpl->global, block->offset, block->nominal->unit, path, "offset", error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
parse_uncertainty (CbTemplate  *tmpl,
                   CbBlock     *block,
                   JsonObject  *object,
                   const char  *block_path,
                   GPtrArray   *computed,
                   GError     **error)
{
  static const char *fields[] = { "unit", "components", "combined", "expanded", NULL };
  static const char *component_fields[] = { "name", "label", "label_en", "u", "c", "dof", NULL };
  static const char *combined_fields[] = { "name", "label", "label_en", NULL };
  static const char *expanded_fields[] = { "name", "label", "label_en", "k", "round", NULL };
  g_autofree char *path = g_strdup_printf ("%s.uncertainty", block_path);
  g_autofree char *combined_path = g_strdup_printf ("%s.combined", path);
  g_autofree char *expanded_path = g_strdup_printf ("%s.expanded", path);
  g_autofree char *unit_text = NULL;
  g_autoptr(CbUnit) unit = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *node = json_object_get_member (object, "uncertainty");
  JsonObject *uncertainty;
  JsonObject *expanded;
  JsonArray *components;

  if (node == NULL)
    return TRUE;
  uncertainty = get_object (node, path, fields, error);
  if (uncertainty == NULL
      || !get_string (uncertainty, path, "unit", TRUE, &unit_text, error)
      || !get_array (uncertainty, path, "components", &components, error))
    return FALSE;
  unit = cb_unit_parse (unit_text, &local_error);
  if (unit == NULL)
    return fail (error, CB_TEMPLATE_ERROR_UNIT, path, "%s", local_error->message);
  if (components == NULL || json_array_get_length (components) == 0)
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'components': expected at least one component"));

  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      g_autofree char *component_path = g_strdup_printf ("%s.components[%u]", path, i);
      JsonObject *component;
      CbItem *item;

      item = parse_named (tmpl, CB_ITEM_COMPONENT, json_array_get_element (components, i),
                          component_path, component_fields, "name", &component, error);
      if (item == NULL
          || !get_string (component, component_path, "u", TRUE, &item->expr_text, error)
          || !get_string (component, component_path, "c", FALSE, &item->sensitivity_text, error)
          || !get_number (component, component_path, "dof", INFINITY, &item->dof, error))
        return FALSE;
      if (!(item->dof >= 1))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, component_path, _("'dof': expected a number ≥ 1"));
      /* u may have its own unit when c converts it; the contribution |c|·u is
       * in the unit of the budget. */
      item->unit = cb_unit_copy (unit);
      item->unit_text = g_strdup (unit_text);
      if (!scope_add (&block->scope, item, error))
        return FALSE;
      g_ptr_array_add (computed, item);
    }

  {
    block->combined = parse_named (tmpl, CB_ITEM_COMBINED, json_object_get_member (uncertainty, "combined"),
                                   combined_path, combined_fields, "name", NULL, error);
    if (block->combined == NULL)
      return FALSE;
    block->combined->unit = cb_unit_copy (unit);
    block->combined->unit_text = g_strdup (unit_text);
    if (!scope_add (&block->scope, block->combined, error))
      return FALSE;
    for (guint i = 0; i < block->scope.items->len; i++)
      {
        CbItem *item = g_ptr_array_index (block->scope.items, i);

        if (item->kind == CB_ITEM_COMPONENT)
          g_array_append_val (block->combined->uses, item->slot);
      }
    g_ptr_array_add (computed, block->combined);
  }

  block->expanded = parse_named (tmpl, CB_ITEM_EXPANDED, json_object_get_member (uncertainty, "expanded"),
                                 expanded_path, expanded_fields, "name", &expanded, error);
  if (block->expanded == NULL
      || !get_number (expanded, expanded_path, "k", 2.0, &block->expanded->k, error)
      || !parse_round (block->expanded, expanded, error))
    return FALSE;
  if (!(block->expanded->k > 0))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, expanded_path, _("'k': expected a positive number"));
  block->expanded->unit = cb_unit_copy (unit);
  block->expanded->unit_text = g_strdup (unit_text);
  if (!scope_add (&block->scope, block->expanded, error))
    return FALSE;
  g_array_append_val (block->expanded->uses, block->combined->slot);
  g_ptr_array_add (computed, block->expanded);
  return TRUE;
}

static const char *quantities[] = { "dcv", "acv", "dci", "aci", "resistance", "pressure",
                                    "temperature", "humidity", NULL };

/* A block-local name that a procedure reads (the nominal, an attribute). */
static gboolean
check_fixed_name (CbBlock     *block,
                  JsonObject  *object,
                  const char  *member,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *name = NULL;
  CbItem *item;

  if (!get_string (object, path, member, FALSE, &name, error))
    return FALSE;
  if (name == NULL)
    return TRUE;
  item = scope_lookup (&block->scope, name);
  if (item == NULL || (item->kind != CB_ITEM_NOMINAL && item->kind != CB_ITEM_ATTRIBUTE))
    return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path,
                 _("'%s': '%s' is not the nominal value or an attribute of block '%s'"),
                 member, name, block->name);
  return TRUE;
}

static gboolean
check_quantity (JsonObject  *object,
                const char  *path,
                GError     **error)
{
  g_autofree char *quantity = NULL;
  g_autofree char *list = g_strjoinv (", ", (char **) quantities);
  double scale;

  if (!get_string (object, path, "quantity", TRUE, &quantity, error)
      || !get_number (object, path, "scale", 1, &scale, error))
    return FALSE;
  if (!g_strv_contains (quantities, quantity))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                 _("'quantity': expected one of %s, found '%s'"), list, quantity);
  if (scale == 0)
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'scale' must not be 0"));
  return TRUE;
}

/* "procedure": which instrument sources each point and which reads it. */
static gboolean
parse_procedure (CbBlock     *block,
                 JsonObject  *object,
                 const char  *block_path,
                 GError     **error)
{
  static const char *fields[] = { "source", "acquire", "settle", NULL };
  static const char *source_fields[] = { "role", "quantity", "value", "frequency", "scale", NULL };
  static const char *acquire_fields[] = { "reading", "role", "quantity", "range", "scale", NULL };
  static const char *settle_fields[] = { "count", "tolerance", "timeout", NULL };
  g_autofree char *path = g_strdup_printf ("%s.procedure", block_path);
  JsonObject *procedure;
  JsonArray *acquire;

  if (!json_object_has_member (object, "procedure"))
    return TRUE;
  procedure = get_object (json_object_get_member (object, "procedure"), path, fields, error);
  if (procedure == NULL)
    return FALSE;

  if (json_object_has_member (procedure, "source"))
    {
      g_autofree char *source_path = g_strdup_printf ("%s.source", path);
      g_autofree char *role = NULL;
      JsonObject *source;

      source = get_object (json_object_get_member (procedure, "source"), source_path, source_fields, error);
      if (source == NULL
          || !get_string (source, source_path, "role", TRUE, &role, error)
          || !check_quantity (source, source_path, error)
          || !check_fixed_name (block, source, "value", source_path, error)
          || !check_fixed_name (block, source, "frequency", source_path, error))
        return FALSE;
      if (!json_object_has_member (source, "value"))
        return fail (error, CB_TEMPLATE_ERROR_INVALID, source_path, _("'value' is missing"));
    }

  if (!get_array (procedure, path, "acquire", &acquire, error))
    return FALSE;
  for (guint i = 0; acquire != NULL && i < json_array_get_length (acquire); i++)
    {
      g_autofree char *acquire_path = g_strdup_printf ("%s.acquire[%u]", path, i);
      g_autofree char *reading = NULL;
      g_autofree char *role = NULL;
      JsonObject *step;
      CbItem *item;

      step = get_object (json_array_get_element (acquire, i), acquire_path, acquire_fields, error);
      if (step == NULL
          || !get_string (step, acquire_path, "reading", TRUE, &reading, error)
          || !get_string (step, acquire_path, "role", TRUE, &role, error)
          || !check_quantity (step, acquire_path, error)
          || !check_fixed_name (block, step, "range", acquire_path, error))
        return FALSE;
      item = scope_lookup (&block->scope, reading);
      if (item == NULL || item->kind != CB_ITEM_READING)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, acquire_path,
                     _("'reading': '%s' is not a reading of block '%s'"), reading, block->name);
    }

  if (json_object_has_member (procedure, "settle"))
    {
      g_autofree char *settle_path = g_strdup_printf ("%s.settle", path);
      JsonObject *settle;
      double count, tolerance, timeout;

      settle = get_object (json_object_get_member (procedure, "settle"), settle_path, settle_fields, error);
      if (settle == NULL
          || !get_number (settle, settle_path, "count", 3, &count, error)
          || !get_number (settle, settle_path, "tolerance", 0, &tolerance, error)
          || !get_number (settle, settle_path, "timeout", 60, &timeout, error))
        return FALSE;
      if (count < 1 || count != floor (count) || tolerance < 0 || timeout <= 0)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, settle_path,
                     _("expected a whole 'count' ≥ 1, a 'tolerance' ≥ 0 and a positive 'timeout' in seconds"));
    }

  block->procedure = procedure;
  return TRUE;
}

static gboolean
parse_block (CbTemplate  *tmpl,
             JsonNode    *node,
             guint        index,
             GError     **error)
{
  static const char *fields[] = { "name", "title", "title_en", "nominal", "attributes", "points",
                                  "readings", "columns", "uncertainty", "checks", "summary",
                                  "procedure", NULL };
  static const char *nominal_fields[] = { "name", "label", "label_en", "unit", NULL };
  static const char *reading_fields[] = { "name", "label", "label_en", "unit", "repeats", NULL };
  static const char *stat_suffixes[] = { "_n", "_s", "_min", "_max", "_range" };
  g_autofree char *path = g_strdup_printf ("blocks[%u]", index);
  g_autofree char *nominal_path = g_strdup_printf ("%s.nominal", path);
  g_autoptr(GPtrArray) unsorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  CbBlock *block;
  JsonObject *object;
  JsonObject *nominal;
  JsonArray *array;
  guint n_slots;

  block = g_new0 (CbBlock, 1);
  g_ptr_array_add (tmpl->blocks, block);
  scope_init (&block->scope);
  scope_inherit (&block->scope, &tmpl->global);
  block->n_globals = tmpl->global.items->len;
  block->attributes = g_ptr_array_new ();
  block->readings = g_ptr_array_new ();
  block->stats = g_ptr_array_new ();
  block->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  block->summaries = g_array_new (FALSE, FALSE, sizeof (guint));

  object = get_object (node, path, fields, error);
  if (object == NULL
      || !get_string (object, path, "name", TRUE, &block->name, error)
      || !get_string (object, path, "title", FALSE, &block->title, error)
      || !get_string (object, path, "title_en", FALSE, &block->title_en, error))
    return FALSE;
  if (!is_valid_name (block->name))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is not a usable block name"), block->name);
  for (guint i = 0; i + 1 < tmpl->blocks->len; i++)
    if (g_str_equal (((CbBlock *) g_ptr_array_index (tmpl->blocks, i))->name, block->name))
      return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, path, _("the block '%s' is defined twice"), block->name);
  if (block->title == NULL)
    block->title = g_strdup (block->name);

  block->nominal = parse_named (tmpl, CB_ITEM_NOMINAL, json_object_get_member (object, "nominal"),
                                nominal_path, nominal_fields, "name", &nominal, error);
  if (block->nominal == NULL
      || !parse_unit (block->nominal, nominal, error)
      || !scope_add (&block->scope, block->nominal, error))
    return FALSE;

  if (!get_array (object, path, "attributes", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *attribute_path = g_strdup_printf ("%s.attributes[%u]", path, i);
      JsonObject *attribute;
      CbItem *item;

      item = parse_named (tmpl, CB_ITEM_ATTRIBUTE, json_array_get_element (array, i), attribute_path,
                          nominal_fields, "name", &attribute, error);
      if (item == NULL
          || !parse_unit (item, attribute, error)
          || !scope_add (&block->scope, item, error))
        return FALSE;
      if (g_str_equal (item->name, "nominal"))
        return fail (error, CB_TEMPLATE_ERROR_DUPLICATE, attribute_path, _("'nominal' is reserved"));
      g_ptr_array_add (block->attributes, item);
    }

  if (!get_array (object, path, "readings", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *reading_path = g_strdup_printf ("%s.readings[%u]", path, i);
      JsonObject *reading;
      double repeats;
      CbItem *item;

      item = parse_named (tmpl, CB_ITEM_READING, json_array_get_element (array, i), reading_path,
                          reading_fields, "name", &reading, error);
      if (item == NULL
          || !parse_unit (item, reading, error)
          || !get_number (reading, reading_path, "repeats", 1, &repeats, error))
        return FALSE;
      if (repeats != floor (repeats) || repeats < 1 || repeats > MAX_REPEATS)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, reading_path,
                     _("'repeats': expected a whole number from 1 to %d"), MAX_REPEATS);
      item->repeats = (guint) repeats;
      if (!scope_add (&block->scope, item, error))
        return FALSE;
      g_ptr_array_add (block->readings, item);

      for (guint s = 0; s < G_N_ELEMENTS (stat_suffixes); s++)
        {
          g_autofree char *name = g_strconcat (item->name, stat_suffixes[s], NULL);
          g_autofree char *stat_path = g_strdup_printf ("%s (%s)", reading_path, name);
          CbItem *stat = item_new (tmpl, CB_ITEM_READING_STAT, name, stat_path);

          stat->stat = (CbStat) s;
          stat->reading_slot = item->slot;
          stat->unit = s == CB_STAT_N ? cb_unit_new_dimensionless () : cb_unit_copy (item->unit);
          stat->unit_text = cb_unit_to_string (stat->unit);
          stat->label = g_strdup (name);
          g_array_append_val (stat->uses, item->slot);
          if (!scope_add (&block->scope, stat, error))
            return FALSE;
          g_ptr_array_add (block->stats, stat);
        }
    }

  if (!parse_items (tmpl, object, path, "columns", CB_ITEM_COLUMN, &block->scope, columns, error))
    return FALSE;
  g_ptr_array_extend (unsorted, columns, NULL, NULL);
  if (!parse_uncertainty (tmpl, block, object, path, unsorted, error))
    return FALSE;

  /* The scope is complete: compile. */
  for (guint i = 0; i < unsorted->len; i++)
    {
      CbItem *item = g_ptr_array_index (unsorted, i);

      if (!compile_item (item, &block->scope, item->unit, error))
        return FALSE;
    }
  if (!sort_computed (unsorted, &block->scope, &block->computed, error))
    return FALSE;
  if (!parse_points (tmpl, block, object, path, error))
    return FALSE;
  if (!parse_checks (object, path, &block->scope, block->checks, error)
      || !parse_procedure (block, object, path, error))
    return FALSE;

  /* What each slot's change reaches, for recomputing only that. */
  n_slots = block->scope.items->len;
  {
    g_autofree gboolean *reach = g_new0 (gboolean, (gsize) block->computed->len * n_slots);
    g_autoptr(GHashTable) position = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < block->computed->len; i++)
      g_hash_table_insert (position, g_ptr_array_index (block->computed, i), GUINT_TO_POINTER (i + 1));

    for (guint i = 0; i < block->computed->len; i++)
      {
        CbItem *item = g_ptr_array_index (block->computed, i);
        gboolean *row = &reach[(gsize) i * n_slots];

        for (guint u = 0; u < item->uses->len; u++)
          {
            guint slot = g_array_index (item->uses, guint, u);
            CbItem *used = g_ptr_array_index (block->scope.items, slot);
            guint p = GPOINTER_TO_UINT (g_hash_table_lookup (position, used));

            row[slot] = TRUE;
            if (used->kind == CB_ITEM_READING_STAT)
              row[used->reading_slot] = TRUE;
            if (p != 0)
              for (guint s = 0; s < n_slots; s++)
                row[s] |= reach[(gsize) (p - 1) * n_slots + s];
          }
      }

    block->downstream = g_new0 (GArray *, n_slots + 1);
    for (guint s = 0; s < n_slots; s++)
      {
        block->downstream[s] = g_array_new (FALSE, FALSE, sizeof (guint));
        for (guint i = 0; i < block->computed->len; i++)
          if (reach[(gsize) i * n_slots + s])
            g_array_append_val (block->downstream[s], i);
      }
  }
  return TRUE;
}

static gboolean
parse_summaries (CbTemplate  *tmpl,
                 JsonObject  *root,
                 GError     **error)
{
  static const char *aggregate_fields[] = { "name", "label", "label_en", "unit", "aggregate", "of", NULL };
  static const char *fit_fields[] = { "name", "label", "label_en", "fit", NULL };
  static const char *xy_fields[] = { "x", "y", NULL };
  static const char *aggregates[] = { "max", "min", "mean", "maxabs", "sum", NULL };
  static const char *fit_suffixes[] = { "_a", "_b", "_ua", "_ub", "_s" };

  for (guint b = 0; b < tmpl->blocks->len; b++)
    {
      CbBlock *block = g_ptr_array_index (tmpl->blocks, b);
      JsonNode *block_node = json_array_get_element (json_object_get_array_member (root, "blocks"), b);
      JsonObject *block_object = json_node_get_object (block_node);
      g_autofree char *block_path = g_strdup_printf ("blocks[%u]", b);
      JsonArray *array;

      if (!get_array (block_object, block_path, "summary", &array, error))
        return FALSE;
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("%s.summary[%u]", block_path, i);
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *object;
          gboolean is_fit = JSON_NODE_HOLDS_OBJECT (node)
                            && json_object_has_member (json_node_get_object (node), "fit");

          if (!is_fit)
            {
              g_autofree char *aggregate = NULL;
              CbItem *item;
              CbItem *of;

              item = parse_named (tmpl, CB_ITEM_SUMMARY, node, path, aggregate_fields, "name",
                                  &object, error);
              if (item == NULL
                  || !parse_unit (item, object, error)
                  || !get_string (object, path, "aggregate", TRUE, &aggregate, error)
                  || !get_string (object, path, "of", TRUE, &item->of_name, error))
                return FALSE;
              if (!g_strv_contains (aggregates, aggregate))
                return fail (error, CB_TEMPLATE_ERROR_INVALID, path,
                             _("'aggregate': expected max, min, mean, maxabs or sum, found '%s'"), aggregate);
              for (guint a = 0; aggregates[a] != NULL; a++)
                if (g_str_equal (aggregates[a], aggregate))
                  item->aggregate = (CbAggregate) a;
              of = scope_lookup (&block->scope, item->of_name);
              if (of == NULL || of->slot < block->n_globals)
                return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path,
                             _("'of': '%s' is not a column of block '%s'"), item->of_name, block->name);
              if (!cb_unit_equal (of->unit, item->unit))
                return fail (error, CB_TEMPLATE_ERROR_UNIT, path,
                             _("'%s' is in %s but the summary says %s"), of->name, of->unit_text,
                             item->unit_text);
              item->block = b;
              item->of_slot = of->slot;
              if (!scope_add (&tmpl->results, item, error))
                return FALSE;
              g_ptr_array_add (tmpl->summaries, item);
              g_array_append_val (block->summaries, item->slot);
            }
          else
            {
              g_autofree char *name = NULL;
              g_autofree char *label = NULL;
              g_autofree char *fit_path = g_strdup_printf ("%s.fit", path);
              g_autofree char *x_name = NULL;
              g_autofree char *y_name = NULL;
              JsonObject *fit;
              CbItem *x;
              CbItem *y;

              object = get_object (node, path, fit_fields, error);
              if (object == NULL
                  || !get_string (object, path, "name", TRUE, &name, error)
                  || !get_string (object, path, "label", FALSE, &label, error))
                return FALSE;
              fit = get_object (json_object_get_member (object, "fit"), fit_path, xy_fields, error);
              if (fit == NULL
                  || !get_string (fit, fit_path, "x", TRUE, &x_name, error)
                  || !get_string (fit, fit_path, "y", TRUE, &y_name, error))
                return FALSE;
              if (!is_valid_name (name))
                return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'%s' is not a usable name"), name);
              x = scope_lookup (&block->scope, x_name);
              y = scope_lookup (&block->scope, y_name);
              if (x == NULL || x->slot < block->n_globals)
                return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, fit_path,
                             _("'x': '%s' is not a column of block '%s'"), x_name, block->name);
              if (y == NULL || y->slot < block->n_globals)
                return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, fit_path,
                             _("'y': '%s' is not a column of block '%s'"), y_name, block->name);

              for (guint s = 0; s < G_N_ELEMENTS (fit_suffixes); s++)
                {
                  g_autofree char *part = g_strconcat (name, fit_suffixes[s], NULL);
                  g_autofree char *part_path = g_strdup_printf ("%s (%s)", path, part);
                  CbItem *item = item_new (tmpl, CB_ITEM_SUMMARY, part, part_path);
                  CbAggregate aggregate = CB_AGGREGATE_FIT_A + s;

                  item->label = g_strdup_printf ("%s %s", label != NULL ? label : name, part);
                  item->aggregate = aggregate;
                  item->block = b;
                  item->of_slot = y->slot;
                  item->fit_x_slot = x->slot;
                  if (aggregate == CB_AGGREGATE_FIT_B || aggregate == CB_AGGREGATE_FIT_UB)
                    item->unit = cb_unit_divide (y->unit, x->unit);
                  else
                    item->unit = cb_unit_copy (y->unit);
                  item->unit_text = cb_unit_to_string (item->unit);
                  if (!scope_add (&tmpl->results, item, error))
                    return FALSE;
                  g_ptr_array_add (tmpl->summaries, item);
                  g_array_append_val (block->summaries, item->slot);
                }
            }
        }
    }
  return TRUE;
}

/* "{name}" in the conclusion is replaced by an input's or result's text. */
static gboolean
check_placeholders (CbTemplate  *tmpl,
                    const char  *text,
                    const char  *path,
                    GError     **error)
{
  const char *p = text;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char *end = strchr (p, '}');
      g_autofree char *name = NULL;

      if (end == NULL)
        return fail (error, CB_TEMPLATE_ERROR_INVALID, path, _("'{' without '}' in '%s'"), text);
      name = g_strndup (p + 1, end - p - 1);
      if (scope_lookup (&tmpl->results, name) == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path,
                     _("'{%s}': unknown name in '%s'"), name, text);
      p = end + 1;
    }
  return TRUE;
}

static gboolean
parse_certificate (CbTemplate  *tmpl,
                   JsonObject  *root,
                   GError     **error)
{
  static const char *fields[] = { "header", "tables", "results", "statements", NULL };
  static const char *table_fields[] = { "block", "columns", NULL };
  JsonObject *certificate;
  JsonArray *array;

  if (!json_object_has_member (root, "certificate"))
    return TRUE;
  certificate = get_object (json_object_get_member (root, "certificate"), "certificate", fields, error);
  if (certificate == NULL)
    return FALSE;

  if (!get_array (certificate, "certificate", "header", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);
      gboolean found = FALSE;

      for (guint j = 0; name != NULL && j < tmpl->header->len; j++)
        found |= g_str_equal (((CbHeaderField *) g_ptr_array_index (tmpl->header, j))->name, name);
      if (!found)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "certificate.header",
                     _("[%u]: '%s' is not a header field"), i, name != NULL ? name : "?");
    }

  if (!get_array (certificate, "certificate", "tables", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("certificate.tables[%u]", i);
      g_autofree char *block_name = NULL;
      CbBlock *block = NULL;
      JsonObject *table;
      JsonArray *columns;

      table = get_object (json_array_get_element (array, i), path, table_fields, error);
      if (table == NULL
          || !get_string (table, path, "block", TRUE, &block_name, error)
          || !get_array (table, path, "columns", &columns, error))
        return FALSE;
      for (guint b = 0; b < tmpl->blocks->len; b++)
        if (g_str_equal (((CbBlock *) g_ptr_array_index (tmpl->blocks, b))->name, block_name))
          block = g_ptr_array_index (tmpl->blocks, b);
      if (block == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path, _("'block': no block '%s'"), block_name);
      for (guint c = 0; columns != NULL && c < json_array_get_length (columns); c++)
        {
          const char *name = json_array_get_string_element (columns, c);

          if (name == NULL || scope_lookup (&block->scope, name) == NULL)
            return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, path,
                         _("'columns'[%u]: '%s' is not a column of block '%s'"), c,
                         name != NULL ? name : "?", block_name);
        }
    }

  if (!get_array (certificate, "certificate", "results", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);

      if (name == NULL || scope_lookup (&tmpl->results, name) == NULL)
        return fail (error, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "certificate.results",
                     _("[%u]: '%s' is not a record-level value"), i, name != NULL ? name : "?");
    }
  return TRUE;
}

static gboolean
parse_template (CbTemplate  *tmpl,
                GError     **error)
{
  static const char *fields[] = { "format", "id", "title", "title_en", "kind", "method", "notes",
                                  "header", "parameters", "standards", "environment", "derived",
                                  "blocks", "results", "checks", "conclusion", "certificate", NULL };
  static const char *method_fields[] = { "code", "name", NULL };
  static const char *conclusion_fields[] = { "pass", "fail", "undetermined", NULL };
  static const char *kinds[] = { "verification", "calibration", "test", NULL };
  g_autofree char *format = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(GPtrArray) derived = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  JsonObject *root;
  JsonObject *method;
  JsonObject *conclusion;
  JsonArray *blocks;

  root = get_object (tmpl->root, "template", fields, error);
  if (root == NULL
      || !get_string (root, "template", "format", TRUE, &format, error))
    return FALSE;
  if (!g_str_equal (format, FORMAT_NAME))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, "format",
                 _("expected \"%s\", found \"%s\""), FORMAT_NAME, format);
  if (!get_string (root, "template", "id", TRUE, &tmpl->id, error)
      || !get_string (root, "template", "title", TRUE, &tmpl->title, error)
      || !get_string (root, "template", "title_en", FALSE, &tmpl->title_en, error)
      || !get_string (root, "template", "kind", TRUE, &kind, error))
    return FALSE;
  if (!is_valid_id (tmpl->id))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, "id",
                 _("'%s' is not a usable id (letters, digits, '.', '_' and '-')"), tmpl->id);
  if (!g_strv_contains (kinds, kind))
    return fail (error, CB_TEMPLATE_ERROR_INVALID, "kind",
                 _("expected verification, calibration or test, found '%s'"), kind);
  for (guint i = 0; kinds[i] != NULL; i++)
    if (g_str_equal (kinds[i], kind))
      tmpl->kind = (CbTemplateKind) i;

  method = get_object (json_object_get_member (root, "method"), "method", method_fields, error);
  if (method == NULL
      || !get_string (method, "method", "code", TRUE, &tmpl->method_code, error)
      || !get_string (method, "method", "name", TRUE, &tmpl->method_name, error))
    return FALSE;

  if (!parse_header (tmpl, root, error)
      || !parse_inputs (tmpl, root, error)
      || !parse_items (tmpl, root, "", "derived", CB_ITEM_DERIVED, &tmpl->global, derived, error)
      || !compile_items (derived, &tmpl->global, error)
      || !sort_computed (derived, &tmpl->global, &tmpl->derived, error))
    return FALSE;

  if (!get_array (root, "template", "blocks", &blocks, error))
    return FALSE;
  if (blocks == NULL || json_array_get_length (blocks) == 0)
    return fail (error, CB_TEMPLATE_ERROR_INVALID, "blocks", _("expected at least one measurement block"));
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    if (!parse_block (tmpl, json_array_get_element (blocks, i), i, error))
      return FALSE;

  scope_inherit (&tmpl->results, &tmpl->global);
  if (!parse_summaries (tmpl, root, error)
      || !parse_items (tmpl, root, "", "results", CB_ITEM_RESULT, &tmpl->results, results, error)
      || !compile_items (results, &tmpl->results, error)
      || !sort_computed (results, &tmpl->results, &tmpl->result_items, error)
      || !parse_checks (root, "template", &tmpl->results, tmpl->checks, error))
    return FALSE;

  conclusion = get_object (json_object_get_member (root, "conclusion"), "conclusion",
                           conclusion_fields, error);
  if (conclusion == NULL
      || !get_string (conclusion, "conclusion", "pass", TRUE, &tmpl->conclusion_pass, error)
      || !get_string (conclusion, "conclusion", "fail", TRUE, &tmpl->conclusion_fail, error)
      || !get_string (conclusion, "conclusion", "undetermined", FALSE, &tmpl->conclusion_undetermined, error)
      || !check_placeholders (tmpl, tmpl->conclusion_pass, "conclusion.pass", error)
      || !check_placeholders (tmpl, tmpl->conclusion_fail, "conclusion.fail", error))
    return FALSE;
  if (tmpl->conclusion_undetermined == NULL)
    tmpl->conclusion_undetermined = g_strdup (tmpl->conclusion_fail);

  return parse_certificate (tmpl, root, error);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static void
header_field_free (CbHeaderField *field)
{
  g_free (field->name);
  g_free (field->label);
  g_free (field->label_en);
  g_free (field->bind);
  g_free (field);
}

CbTemplate *
cb_template_new_from_json (JsonNode  *root,
                           GError   **error)
{
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (root != NULL, NULL);

  tmpl = g_new0 (CbTemplate, 1);
  g_atomic_ref_count_init (&tmpl->ref_count);
  tmpl->root = json_node_copy (root);
  tmpl->header = g_ptr_array_new_with_free_func ((GDestroyNotify) header_field_free);
  tmpl->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  scope_init (&tmpl->global);
  scope_init (&tmpl->results);
  tmpl->inputs = g_ptr_array_new ();
  tmpl->parameters = g_ptr_array_new ();
  tmpl->standard_roles = g_ptr_array_new_with_free_func (g_free);
  tmpl->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  tmpl->summaries = g_ptr_array_new ();
  tmpl->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);

  if (!parse_template (tmpl, error))
    return NULL;

  canonical = cb_json_to_text (tmpl->root, FALSE);
  tmpl->digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  return g_steal_pointer (&tmpl);
}

CbTemplate *
cb_template_new_from_data (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CB_TEMPLATE_ERROR, CB_TEMPLATE_ERROR_PARSE,
                   _("not a JSON template: %s"), local_error->message);
      return NULL;
    }
  return cb_template_new_from_json (json_parser_get_root (parser), error);
}

CbTemplate *
cb_template_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  CbTemplate *tmpl;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  tmpl = cb_template_new_from_data (contents, (gssize) length, &local_error);
  if (tmpl == NULL)
    g_set_error (error, CB_TEMPLATE_ERROR, local_error->code, "%s: %s", path, local_error->message);
  return tmpl;
}

CbTemplate *
cb_template_ref (CbTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);

  g_atomic_ref_count_inc (&tmpl->ref_count);
  return tmpl;
}

void
cb_template_unref (CbTemplate *tmpl)
{
  if (tmpl == NULL || !g_atomic_ref_count_dec (&tmpl->ref_count))
    return;

  g_clear_pointer (&tmpl->root, json_node_unref);
  g_free (tmpl->digest);
  g_free (tmpl->id);
  g_free (tmpl->title);
  g_free (tmpl->title_en);
  g_free (tmpl->method_code);
  g_free (tmpl->method_name);
  g_clear_pointer (&tmpl->header, g_ptr_array_unref);
  g_clear_pointer (&tmpl->blocks, g_ptr_array_unref);
  g_clear_pointer (&tmpl->checks, g_ptr_array_unref);
  scope_clear (&tmpl->global);
  scope_clear (&tmpl->results);
  g_clear_pointer (&tmpl->inputs, g_ptr_array_unref);
  g_clear_pointer (&tmpl->parameters, g_ptr_array_unref);
  g_clear_pointer (&tmpl->standard_roles, g_ptr_array_unref);
  g_clear_pointer (&tmpl->derived, g_ptr_array_unref);
  g_clear_pointer (&tmpl->summaries, g_ptr_array_unref);
  g_clear_pointer (&tmpl->result_items, g_ptr_array_unref);
  g_clear_pointer (&tmpl->items, g_ptr_array_unref);
  g_free (tmpl->conclusion_pass);
  g_free (tmpl->conclusion_fail);
  g_free (tmpl->conclusion_undetermined);
  g_free (tmpl);
}

JsonNode *
cb_template_to_json (const CbTemplate *tmpl)
{
  return json_node_copy (tmpl->root);
}

char *
cb_template_to_data (const CbTemplate *tmpl)
{
  return cb_json_to_text (tmpl->root, TRUE);
}

const char *
cb_template_get_digest (const CbTemplate *tmpl)
{
  return tmpl->digest;
}

const char *
cb_template_get_id (const CbTemplate *tmpl)
{
  return tmpl->id;
}

const char *
cb_template_get_title (const CbTemplate *tmpl)
{
  return tmpl->title;
}

CbTemplateKind
cb_template_get_kind (const CbTemplate *tmpl)
{
  return tmpl->kind;
}

const char *
cb_template_kind_to_string (CbTemplateKind kind)
{
  switch (kind)
    {
    case CB_TEMPLATE_KIND_VERIFICATION: return "verification";
    case CB_TEMPLATE_KIND_CALIBRATION:  return "calibration";
    case CB_TEMPLATE_KIND_TEST:         return "test";
    default:                            return NULL;
    }
}

const char *
cb_template_get_method_code (const CbTemplate *tmpl)
{
  return tmpl->method_code;
}

const char *
cb_template_get_method_name (const CbTemplate *tmpl)
{
  return tmpl->method_name;
}

guint
cb_template_get_n_blocks (const CbTemplate *tmpl)
{
  return tmpl->blocks->len;
}

const char *
cb_template_get_block_name (const CbTemplate *tmpl,
                            guint             block)
{
  g_return_val_if_fail (block < tmpl->blocks->len, NULL);

  return ((CbBlock *) g_ptr_array_index (tmpl->blocks, block))->name;
}

guint
cb_template_get_n_standards (const CbTemplate *tmpl)
{
  return tmpl->standard_roles->len;
}

const char *
cb_template_get_standard_role (const CbTemplate *tmpl,
                               guint             index)
{
  g_return_val_if_fail (index < tmpl->standard_roles->len, NULL);

  return g_ptr_array_index (tmpl->standard_roles, index);
}

const char *
cb_template_get_standard_label (const CbTemplate *tmpl,
                                guint             index)
{
  JsonObject *root;
  JsonArray *standards;
  JsonObject *standard;

  g_return_val_if_fail (index < tmpl->standard_roles->len, NULL);

  root = json_node_get_object (tmpl->root);
  standards = json_object_get_array_member (root, "standards");
  standard = json_array_get_object_element (standards, index);
  return json_object_has_member (standard, "label") ? json_object_get_string_member (standard, "label")
                                                    : g_ptr_array_index (tmpl->standard_roles, index);
}

guint
cb_template_get_n_parameters (const CbTemplate *tmpl)
{
  return tmpl->parameters->len;
}

const char *
cb_template_get_parameter_name (const CbTemplate *tmpl,
                                guint             index)
{
  g_return_val_if_fail (index < tmpl->parameters->len, NULL);

  return ((CbItem *) g_ptr_array_index (tmpl->parameters, index))->name;
}

guint
cb_template_get_n_header (const CbTemplate *tmpl)
{
  return tmpl->header->len;
}

const char *
cb_template_get_header_name (const CbTemplate *tmpl,
                             guint             index)
{
  g_return_val_if_fail (index < tmpl->header->len, NULL);

  return ((CbHeaderField *) g_ptr_array_index (tmpl->header, index))->name;
}

const char *
cb_template_get_header_bind (const CbTemplate *tmpl,
                             guint             index)
{
  g_return_val_if_fail (index < tmpl->header->len, NULL);

  return ((CbHeaderField *) g_ptr_array_index (tmpl->header, index))->bind;
}

int
cb_template_find_block (const CbTemplate *tmpl,
                        const char       *name)
{
  for (guint b = 0; b < tmpl->blocks->len; b++)
    if (g_str_equal (((CbBlock *) g_ptr_array_index (tmpl->blocks, b))->name, name))
      return (int) b;
  return -1;
}

JsonObject *
cb_template_get_block_procedure (const CbTemplate *tmpl,
                                 guint             block)
{
  g_return_val_if_fail (block < tmpl->blocks->len, NULL);

  return ((CbBlock *) g_ptr_array_index (tmpl->blocks, block))->procedure;
}

const char *
cb_template_get_block_nominal (const CbTemplate *tmpl,
                               guint             block)
{
  g_return_val_if_fail (block < tmpl->blocks->len, NULL);

  return ((CbBlock *) g_ptr_array_index (tmpl->blocks, block))->nominal->name;
}

guint
cb_template_get_n_readings (const CbTemplate *tmpl,
                            guint             block)
{
  g_return_val_if_fail (block < tmpl->blocks->len, 0);

  return ((CbBlock *) g_ptr_array_index (tmpl->blocks, block))->readings->len;
}

const char *
cb_template_get_reading (const CbTemplate  *tmpl,
                         guint              block,
                         guint              index,
                         guint             *repeats,
                         const char       **unit)
{
  CbBlock *b;
  CbItem *item;

  g_return_val_if_fail (block < tmpl->blocks->len, NULL);
  b = g_ptr_array_index (tmpl->blocks, block);
  g_return_val_if_fail (index < b->readings->len, NULL);
  item = g_ptr_array_index (b->readings, index);
  if (repeats != NULL)
    *repeats = item->repeats;
  if (unit != NULL)
    *unit = item->unit_text;
  return item->name;
}

#define SHIPPED_PATH "/org/calbench/templates"

char **
cb_template_list_shipped (void)
{
  g_auto(GStrv) names = g_resource_enumerate_children (cb_shipped_templates_get_resource (), SHIPPED_PATH,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".json"))
      g_ptr_array_add (ids, g_strndup (names[i], strlen (names[i]) - strlen (".json")));
  g_ptr_array_sort (ids, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

CbTemplate *
cb_template_new_shipped (const char  *id,
                         GError     **error)
{
  g_autofree char *path = g_strdup_printf (SHIPPED_PATH "/%s.json", id);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (cb_shipped_templates_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, CB_TEMPLATE_ERROR, CB_TEMPLATE_ERROR_INVALID,
                   _("no shipped template '%s'"), id);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  return cb_template_new_from_data (data, (gssize) size, error);
}

const char *
cb_template_get_header_label (const CbTemplate *tmpl,
                              guint             index)
{
  g_return_val_if_fail (index < tmpl->header->len, NULL);

  return ((CbHeaderField *) g_ptr_array_index (tmpl->header, index))->label;
}

const char *
cb_template_get_block_title (const CbTemplate *tmpl,
                             guint             block)
{
  g_return_val_if_fail (block < tmpl->blocks->len, NULL);

  return ((CbBlock *) g_ptr_array_index (tmpl->blocks, block))->title;
}

guint
cb_template_get_n_inputs (const CbTemplate *tmpl)
{
  return tmpl->inputs->len;
}

const char *
cb_template_get_input (const CbTemplate  *tmpl,
                       guint              index,
                       const char       **label,
                       const char       **unit)
{
  CbItem *item;

  g_return_val_if_fail (index < tmpl->inputs->len, NULL);

  item = g_ptr_array_index (tmpl->inputs, index);
  if (label != NULL)
    *label = item->label;
  if (unit != NULL)
    *unit = item->unit_text;
  return item->name;
}

gboolean
cb_template_get_input_limits (const CbTemplate  *tmpl,
                              guint              index,
                              const char       **min,
                              const char       **max,
                              gboolean          *blocking)
{
  CbItem *item;

  g_return_val_if_fail (index < tmpl->inputs->len, FALSE);

  item = g_ptr_array_index (tmpl->inputs, index);
  if (item->kind != CB_ITEM_ENVIRONMENT)
    return FALSE;
  if (min != NULL)
    *min = item->min_text;
  if (max != NULL)
    *max = item->max_text;
  if (blocking != NULL)
    *blocking = item->blocking;
  return TRUE;
}
