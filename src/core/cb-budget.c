/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-budget.h"
#include "cb-stats.h"

typedef struct
{
  guint  a;
  guint  b;
  double r;
} GivenCorrelation;

typedef struct
{
  char     *name;
  CbExpr   *expr;
  guint     position;   /* in the JSON "outputs" object */
  gboolean *uses;       /* n_inputs flags: depends on that input */
} Output;

struct _CbBudget
{
  gatomicrefcount ref_count;

  GArray   *inputs;          /* of CbInput */
  GArray   *reliability;     /* of double, per input; NAN unless given */
  double   *correlation;     /* n_inputs², row-major */
  GArray   *given;           /* of GivenCorrelation, as written */

  Output   *outputs;         /* in dependency order */
  guint     n_outputs;
  const char **slots;        /* inputs then outputs, NULL-terminated */

  guint    *reported;
  guint     n_reported;
  gboolean  report_given;

  double    p;
  double    k;
  gboolean  second_order;
  char     *description;
};

/* Names the expression language keeps for itself. */
static const char * const reserved_names[] = {
  "pi", "sqrt", "exp", "ln", "log10", "sin", "cos", "tan", "asin", "acos",
  "atan", "atan2", "abs", "min", "max", NULL
};

static const char * const top_keys[] = {
  "inputs", "observations", "correlations", "outputs", "report", "coverage",
  "second_order", "description", NULL
};

static const char * const input_keys[] = {
  "value", "u", "U", "k", "p", "dof", "reliability", "distribution",
  "half_width", "beta", "d", "readings", "unit", "description", NULL
};

static const char * const distribution_names[] = {
  [CB_DISTRIBUTION_NORMAL] = "normal",
  [CB_DISTRIBUTION_RECTANGULAR] = "rectangular",
  [CB_DISTRIBUTION_TRIANGULAR] = "triangular",
  [CB_DISTRIBUTION_ARCSINE] = "arcsine",
  [CB_DISTRIBUTION_TRAPEZOIDAL] = "trapezoidal",
  [CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL] = "curvilinear_trapezoidal",
  [CB_DISTRIBUTION_STUDENT_T] = "t",
};

G_DEFINE_QUARK (cb-budget-error-quark, cb_budget_error)

/* Helpers: values and messages */

static char *
format_number (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (x))
    return g_strdup ("nan");
  if (isinf (x))
    return g_strdup (x > 0 ? "inf" : "-inf");

  /* The shortest form that reads back as the same double. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return g_strdup (buf);
}

/* What was found in place of the expected value, for messages. */
static char *
describe_node (JsonNode *node)
{
  if (node == NULL)
    return g_strdup (_("nothing"));

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup (_("an object"));
    case JSON_NODE_ARRAY:
      return g_strdup (_("an array"));
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return format_number (json_node_get_double (node));
    case G_TYPE_STRING:
      {
        g_autofree char *s = g_utf8_make_valid (json_node_get_string (node), -1);
        g_autofree char *shown = NULL;

        if (g_utf8_strlen (s, -1) > 40)
          {
            g_autofree char *head = g_utf8_substring (s, 0, 40);
            shown = g_strconcat (head, "…", NULL);
          }
        else
          shown = g_strdup (s);
        return g_strdup_printf ("\"%s\"", shown);
      }
    default:
      return g_strdup (_("an unknown value"));
    }
}

static gboolean
node_get_double (JsonNode *node,
                 double   *out)
{
  double x;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      x = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      x = json_node_get_double (node);
      break;
    default:
      return FALSE;
    }

  if (!isfinite (x))
    return FALSE;
  *out = x;
  return TRUE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
read_number (JsonNode    *node,
             const char  *path,
             double      *out,
             GError     **error)
{
  g_autofree char *found = NULL;

  if (node_get_double (node, out))
    return TRUE;

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected a number, found %s"), path, found);
  return FALSE;
}

static gboolean
read_positive (JsonNode    *node,
               const char  *path,
               double      *out,
               GError     **error)
{
  g_autofree char *found = NULL;

  if (node_get_double (node, out) && *out > 0)
    return TRUE;

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected a positive number, found %s"), path, found);
  return FALSE;
}

static gboolean
read_probability (JsonNode    *node,
                  const char  *path,
                  double      *out,
                  GError     **error)
{
  g_autofree char *found = NULL;

  if (node_get_double (node, out) && *out > 0 && *out < 1)
    return TRUE;

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected a probability between 0 and 1, found %s"),
               path, found);
  return FALSE;
}

static gboolean
read_dof (JsonNode    *node,
          const char  *path,
          double      *out,
          GError     **error)
{
  g_autofree char *found = NULL;

  if (node_get_double (node, out) && *out > 0)
    return TRUE;

  if (node_is_string (node))
    {
      const char *s = json_node_get_string (node);

      if (g_ascii_strcasecmp (s, "inf") == 0
          || g_ascii_strcasecmp (s, "infinity") == 0)
        {
          *out = INFINITY;
          return TRUE;
        }
    }

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected a positive number of degrees of freedom or \"inf\", found %s"),
               path, found);
  return FALSE;
}

static gboolean
read_string (JsonNode    *node,
             const char  *path,
             const char **out,
             GError     **error)
{
  g_autofree char *found = NULL;

  if (node_is_string (node))
    {
      *out = json_node_get_string (node);
      return TRUE;
    }

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected a string, found %s"), path, found);
  return FALSE;
}

static gboolean
read_object (JsonNode     *node,
             const char   *path,
             JsonObject  **out,
             GError      **error)
{
  g_autofree char *found = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      *out = json_node_get_object (node);
      return TRUE;
    }

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected an object, found %s"), path, found);
  return FALSE;
}

/* Damerau-style edit distance ignoring case, to suggest the field meant by
 * a typo. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *d = NULL;

  if (la > 64 || lb > 64)
    return G_MAXUINT;

  d = g_new (guint, (la + 1) * (lb + 1));
#define D(i, j) d[(i) * (lb + 1) + (j)]
  for (gsize i = 0; i <= la; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
        guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

        best = MIN (best, D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (la, lb);
#undef D
}

static gboolean
check_keys (JsonObject          *object,
            const char          *path,
            const char * const  *allowed,
            GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *suggestion = NULL;
      guint best = 3;
      g_autofree char *where = NULL;

      if (g_strv_contains (allowed, key))
        continue;

      for (guint i = 0; allowed[i] != NULL; i++)
        {
          guint distance = edit_distance (key, allowed[i]);

          if (distance < best && distance < strlen (allowed[i]))
            {
              best = distance;
              suggestion = allowed[i];
            }
        }

      where = *path != '\0' ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
      if (suggestion != NULL)
        g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                     _("%s: unknown field (did you mean \"%s\"?)"), where, suggestion);
      else
        g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                     _("%s: unknown field"), where);
      return FALSE;
    }
  return TRUE;
}

/* The characters the expression language allows after the first of a name:
 * letters, digits, '_', combining marks and subscript digits (x̄, x₁). */
static gboolean
is_name_char (gunichar c)
{
  if (c == '_' || g_unichar_isalnum (c))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Names must be usable in expressions. */
static gboolean
check_name (const char  *name,
            const char  *path,
            GError     **error)
{
  const char *p = name;

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (path, -1);

      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: a name must be valid UTF-8"), shown);
      return FALSE;
    }

  if (*name == '\0')
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: a name cannot be empty"), path);
      return FALSE;
    }

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ok = p == name ? (c == '_' || g_unichar_isalpha (c)) : is_name_char (c);

      if (!ok)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: a name must start with a letter or '_' and hold only letters, digits and '_'"),
                       path);
          return FALSE;
        }
    }

  if (g_strv_contains (reserved_names, name))
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: '%s' is reserved by the expression language"), path, name);
      return FALSE;
    }
  return TRUE;
}

/* Names are kept in NFC, as the expression parser reads them, so that a
 * name typed in another normal form still matches. */
static char *
normalize_name (const char *name)
{
  char *normal = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

  return normal != NULL ? normal : g_strdup (name);
}

static void
sample_mean_sd (const double *x,
                guint         n,
                double       *mean,
                double       *sd)
{
  double sum = 0, ss = 0;

  for (guint i = 0; i < n; i++)
    sum += x[i];
  *mean = sum / n;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - *mean) * (x[i] - *mean);
  *sd = n > 1 ? sqrt (ss / (n - 1)) : 0;
}

static GArray *
read_readings (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  g_autoptr(GArray) values = NULL;
  g_autofree char *found = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      found = describe_node (node);
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected an array of readings, found %s"), path, found);
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  values = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", path, i);
      double x;

      if (!read_number (json_array_get_element (array, i), where, &x, error))
        return NULL;
      g_array_append_val (values, x);
    }

  if (n < 2)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected at least 2 readings, found %u"), path, n);
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* Fills value, u, dof and scale of a Type A input from its readings. */
static gboolean
set_type_a (CbInput     *input,
            const char  *path,
            GError     **error)
{
  guint n = input->readings->len;
  double mean, sd;

  sample_mean_sd ((const double *) (gpointer) input->readings->data, n, &mean, &sd);
  if (!isfinite (mean) || !isfinite (sd))
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: the readings are too large to average"), path);
      return FALSE;
    }

  input->value = mean;
  input->u = sd / sqrt (n);
  input->dof = n - 1;
  input->distribution = CB_DISTRIBUTION_STUDENT_T;
  input->scale = input->u;
  return TRUE;
}

/* Building and freeing */

static void
input_init (CbInput    *input,
            const char *name)
{
  memset (input, 0, sizeof *input);
  input->name = g_strdup (name);
  input->value = NAN;
  input->u = NAN;
  input->dof = INFINITY;
  input->expanded = NAN;
  input->k = NAN;
  input->p = NAN;
  input->distribution = CB_DISTRIBUTION_NORMAL;
  input->half_width = NAN;
  input->beta = NAN;
  input->d = NAN;
  input->scale = NAN;
}

static void
input_clear (gpointer data)
{
  CbInput *input = data;

  g_clear_pointer (&input->name, g_free);
  g_clear_pointer (&input->unit, g_free);
  g_clear_pointer (&input->description, g_free);
  g_clear_pointer (&input->readings, g_array_unref);
}

static CbBudget *
budget_new (void)
{
  CbBudget *budget = g_new0 (CbBudget, 1);

  g_atomic_ref_count_init (&budget->ref_count);
  budget->inputs = g_array_new (FALSE, TRUE, sizeof (CbInput));
  g_array_set_clear_func (budget->inputs, input_clear);
  budget->reliability = g_array_new (FALSE, FALSE, sizeof (double));
  budget->given = g_array_new (FALSE, FALSE, sizeof (GivenCorrelation));
  budget->p = NAN;
  budget->k = 2;
  return budget;
}

static void
budget_free (CbBudget *budget)
{
  g_array_unref (budget->inputs);
  g_array_unref (budget->reliability);
  g_array_unref (budget->given);
  g_free (budget->correlation);
  for (guint i = 0; i < budget->n_outputs; i++)
    {
      g_free (budget->outputs[i].name);
      g_clear_pointer (&budget->outputs[i].expr, cb_expr_unref);
      g_free (budget->outputs[i].uses);
    }
  g_free (budget->outputs);
  g_free (budget->slots);
  g_free (budget->reported);
  g_free (budget->description);
  g_free (budget);
}

static int
find_input (const CbBudget *budget,
            const char     *name)
{
  g_autofree char *normal = NULL;

  if (!g_str_is_ascii (name))
    name = normal = normalize_name (name);

  for (guint i = 0; i < budget->inputs->len; i++)
    if (g_strcmp0 (g_array_index (budget->inputs, CbInput, i).name, name) == 0)
      return (int) i;
  return -1;
}

/* Parsing: inputs */

static gboolean
reject_keys (JsonObject          *object,
             const char          *path,
             const char * const  *allowed,
             const char          *because,
             GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (g_strv_contains (allowed, key))
        continue;
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s.%s: cannot be used together with %s"), path, key, because);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_key (JsonObject  *object,
             const char  *path,
             const char  *key,
             GError     **error)
{
  if (json_object_has_member (object, key))
    return TRUE;
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: missing \"%s\""), path, key);
  return FALSE;
}

/* dof from "dof" or "reliability"; INFINITY when neither is given. */
static gboolean
read_input_dof (JsonObject  *object,
                const char  *path,
                double      *dof,
                double      *reliability,
                GError     **error)
{
  JsonNode *dof_node = json_object_get_member (object, "dof");
  JsonNode *rel_node = json_object_get_member (object, "reliability");

  *dof = INFINITY;
  *reliability = NAN;

  if (dof_node != NULL && rel_node != NULL)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s.reliability: cannot be used together with \"dof\""), path);
      return FALSE;
    }

  if (dof_node != NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.dof", path);
      return read_dof (dof_node, where, dof, error);
    }

  if (rel_node != NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.reliability", path);

      if (!read_positive (rel_node, where, reliability, error))
        return FALSE;
      /* GUM G.4.2: ν ≈ ½ (Δu/u)⁻² */
      *dof = 1.0 / (2.0 * *reliability * *reliability);
      if (!(*dof > 0))
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: too large to leave any degrees of freedom"), where);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_optional_strings (JsonObject  *object,
                       const char  *path,
                       CbInput     *input,
                       GError     **error)
{
  const char *s;

  if (json_object_has_member (object, "unit"))
    {
      g_autofree char *where = g_strdup_printf ("%s.unit", path);

      if (!read_string (json_object_get_member (object, "unit"), where, &s, error))
        return FALSE;
      input->unit = g_strdup (s);
    }
  if (json_object_has_member (object, "description"))
    {
      g_autofree char *where = g_strdup_printf ("%s.description", path);

      if (!read_string (json_object_get_member (object, "description"), where, &s, error))
        return FALSE;
      input->description = g_strdup (s);
    }
  return TRUE;
}

static gboolean
read_member_positive (JsonObject  *object,
                      const char  *path,
                      const char  *key,
                      double      *out,
                      GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, key);

  if (!require_key (object, path, key, error))
    return FALSE;
  return read_positive (json_object_get_member (object, key), where, out, error);
}

static gboolean
read_member_number (JsonObject  *object,
                    const char  *path,
                    const char  *key,
                    double      *out,
                    GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, key);

  if (!require_key (object, path, key, error))
    return FALSE;
  return read_number (json_object_get_member (object, key), where, out, error);
}

static gboolean
parse_distribution_name (JsonNode        *node,
                         const char      *path,
                         CbDistribution  *out,
                         GError         **error)
{
  g_autofree char *found = NULL;
  g_autofree char *where = g_strdup_printf ("%s.distribution", path);

  if (node_is_string (node))
    {
      const char *s = json_node_get_string (node);

      for (guint i = 0; i < G_N_ELEMENTS (distribution_names); i++)
        if (g_strcmp0 (s, distribution_names[i]) == 0)
          {
            *out = (CbDistribution) i;
            return TRUE;
          }
    }

  found = describe_node (node);
  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected one of \"normal\", \"rectangular\", \"triangular\", "
                 "\"arcsine\", \"trapezoidal\", \"curvilinear_trapezoidal\" or \"t\", found %s"),
               where, found);
  return FALSE;
}

/* u, or U with k or with p (and dof). */
static gboolean
parse_normal_input (JsonObject  *object,
                    const char  *path,
                    CbInput     *input,
                    double      *reliability,
                    GError     **error)
{
  if (json_object_has_member (object, "U"))
    {
      gboolean has_k = json_object_has_member (object, "k");
      gboolean has_p = json_object_has_member (object, "p");
      static const char * const with_k[] = {
        "value", "U", "k", "dof", "reliability", "distribution", "unit", "description", NULL
      };
      static const char * const with_p[] = {
        "value", "U", "p", "dof", "reliability", "distribution", "unit", "description", NULL
      };

      if (!has_k && !has_p)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: \"U\" needs a coverage factor \"k\" or a coverage probability \"p\""),
                       path);
          return FALSE;
        }
      if (has_k && has_p)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: give either \"k\" or \"p\" with \"U\", not both"), path);
          return FALSE;
        }
      if (!reject_keys (object, path, has_k ? with_k : with_p, "\"U\"", error)
          || !read_member_number (object, path, "value", &input->value, error)
          || !read_member_positive (object, path, "U", &input->expanded, error)
          || !read_input_dof (object, path, &input->dof, reliability, error))
        return FALSE;

      if (has_k)
        {
          if (!read_member_positive (object, path, "k", &input->k, error))
            return FALSE;
          input->kind = CB_INPUT_EXPANDED_K;
          input->u = input->expanded / input->k;
        }
      else
        {
          g_autofree char *where = g_strdup_printf ("%s.p", path);
          double factor;

          if (!read_probability (json_object_get_member (object, "p"), where, &input->p, error))
            return FALSE;
          factor = cb_stats_t_coverage_factor (input->p, input->dof);
          if (!(factor > 0) || !isfinite (factor))
            {
              g_autofree char *dof = format_number (input->dof);

              g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                           _("%s: no coverage factor for this probability with %s degrees of freedom"),
                           where, dof);
              return FALSE;
            }
          input->kind = CB_INPUT_EXPANDED_P;
          input->u = input->expanded / factor;
        }
      input->distribution = CB_DISTRIBUTION_NORMAL;
      return TRUE;
    }

  if (json_object_has_member (object, "u"))
    {
      static const char * const allowed[] = {
        "value", "u", "dof", "reliability", "distribution", "unit", "description", NULL
      };

      if (!reject_keys (object, path, allowed, "\"u\"", error)
          || !read_member_number (object, path, "value", &input->value, error)
          || !read_member_positive (object, path, "u", &input->u, error)
          || !read_input_dof (object, path, &input->dof, reliability, error))
        return FALSE;
      input->kind = CB_INPUT_STANDARD;
      input->distribution = CB_DISTRIBUTION_NORMAL;
      return TRUE;
    }

  g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
               _("%s: expected \"u\", \"U\" with \"k\" or \"p\", a \"distribution\" or \"readings\""),
               path);
  return FALSE;
}

static gboolean
parse_distribution_input (JsonObject  *object,
                          const char  *path,
                          CbInput     *input,
                          double      *reliability,
                          GError     **error)
{
  CbDistribution distribution;
  g_autofree char *because = NULL;
  double a;

  if (!parse_distribution_name (json_object_get_member (object, "distribution"),
                                path, &distribution, error))
    return FALSE;

  if (distribution == CB_DISTRIBUTION_NORMAL)
    {
      if (!parse_normal_input (object, path, input, reliability, error))
        return FALSE;
      /* A normal distribution given by its standard deviation is kept as
       * named; one given by U is an expanded uncertainty like any other. */
      if (input->kind == CB_INPUT_STANDARD)
        input->kind = CB_INPUT_DISTRIBUTION;
      return TRUE;
    }

  because = g_strdup_printf (_("distribution \"%s\""), distribution_names[distribution]);
  input->kind = CB_INPUT_DISTRIBUTION;
  input->distribution = distribution;

  if (distribution == CB_DISTRIBUTION_STUDENT_T)
    {
      static const char * const allowed[] = {
        "value", "distribution", "u", "dof", "reliability", "unit", "description", NULL
      };
      g_autofree char *found = NULL;

      if (!reject_keys (object, path, allowed, because, error)
          || !read_member_number (object, path, "value", &input->value, error)
          || !read_member_positive (object, path, "u", &input->scale, error)
          || !read_input_dof (object, path, &input->dof, reliability, error))
        return FALSE;
      if (!(input->dof > 2) || !isfinite (input->dof))
        {
          found = format_number (input->dof);
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s.dof: a t distribution needs a finite number of degrees of freedom above 2, found %s"),
                       path, found);
          return FALSE;
        }
      /* JCGM 101 6.4.9.3: the variance of t_ν is ν/(ν−2) */
      input->u = input->scale * sqrt (input->dof / (input->dof - 2));
      return TRUE;
    }

  {
    static const char * const plain[] = {
      "value", "distribution", "half_width", "dof", "reliability", "unit", "description", NULL
    };
    static const char * const with_beta[] = {
      "value", "distribution", "half_width", "beta", "dof", "reliability", "unit", "description", NULL
    };
    static const char * const with_d[] = {
      "value", "distribution", "half_width", "d", "dof", "reliability", "unit", "description", NULL
    };
    const char * const *allowed = distribution == CB_DISTRIBUTION_TRAPEZOIDAL ? with_beta
                                  : distribution == CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL ? with_d
                                  : plain;

    if (!reject_keys (object, path, allowed, because, error)
        || !read_member_number (object, path, "value", &input->value, error)
        || !read_member_positive (object, path, "half_width", &input->half_width, error)
        || !read_input_dof (object, path, &input->dof, reliability, error))
      return FALSE;
  }
  a = input->half_width;

  switch (distribution)
    {
    case CB_DISTRIBUTION_RECTANGULAR:
      input->u = a / sqrt (3);
      break;
    case CB_DISTRIBUTION_TRIANGULAR:
      input->u = a / sqrt (6);
      break;
    case CB_DISTRIBUTION_ARCSINE:
      input->u = a / sqrt (2);
      break;
    case CB_DISTRIBUTION_TRAPEZOIDAL:
      {
        g_autofree char *where = g_strdup_printf ("%s.beta", path);
        g_autofree char *found = NULL;
        JsonNode *node = json_object_get_member (object, "beta");

        if (!require_key (object, path, "beta", error))
          return FALSE;
        if (!node_get_double (node, &input->beta) || input->beta < 0 || input->beta > 1)
          {
            found = describe_node (node);
            g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                         _("%s: expected a number from 0 to 1, found %s"), where, found);
            return FALSE;
          }
        /* GUM 4.3.9 */
        input->u = a * sqrt ((1 + input->beta * input->beta) / 6);
      }
      break;
    case CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL:
      {
        g_autofree char *where = g_strdup_printf ("%s.d", path);
        g_autofree char *found = NULL;
        JsonNode *node = json_object_get_member (object, "d");

        if (!require_key (object, path, "d", error))
          return FALSE;
        /* JCGM 101 6.4.3: the half-width is known to lie within a ± d, d ≤ a */
        if (!node_get_double (node, &input->d) || input->d < 0 || input->d > a)
          {
            found = describe_node (node);
            g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                         _("%s: expected a number from 0 to the half-width, found %s"),
                         where, found);
            return FALSE;
          }
        input->u = sqrt (a * a / 3 + input->d * input->d / 9);
      }
      break;
    case CB_DISTRIBUTION_NORMAL:
    case CB_DISTRIBUTION_STUDENT_T:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
parse_input (JsonNode    *node,
             const char  *name,
             CbInput     *input,
             double      *reliability,
             GError     **error)
{
  g_autofree char *path = g_strdup_printf ("inputs.%s", name);
  JsonObject *object;

  *reliability = NAN;
  if (!check_name (name, path, error)
      || !read_object (node, path, &object, error)
      || !check_keys (object, path, input_keys, error)
      || !read_optional_strings (object, path, input, error))
    return FALSE;

  if (json_object_has_member (object, "readings"))
    {
      static const char * const allowed[] = { "readings", "unit", "description", NULL };
      g_autofree char *where = g_strdup_printf ("%s.readings", path);

      if (!reject_keys (object, path, allowed, "\"readings\"", error))
        return FALSE;
      input->readings = read_readings (json_object_get_member (object, "readings"), where, error);
      if (input->readings == NULL)
        return FALSE;
      input->kind = CB_INPUT_READINGS;
      return set_type_a (input, where, error);
    }

  if (json_object_has_member (object, "distribution"))
    return parse_distribution_input (object, path, input, reliability, error);

  return parse_normal_input (object, path, input, reliability, error);
}

static gboolean
parse_inputs (CbBudget    *budget,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *node = json_object_get_member (root, "inputs");
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (node == NULL)
    return TRUE;
  if (!read_object (node, "inputs", &object, error))
    return FALSE;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *normal = NULL;
      CbInput input;
      double reliability;

      if (g_utf8_validate (name, -1, NULL) && find_input (budget, name) >= 0)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("inputs.%s: defined twice"), name);
          return FALSE;
        }
      normal = normalize_name (name);
      input_init (&input, normal);
      if (!parse_input (json_object_get_member (object, name), name, &input,
                        &reliability, error))
        {
          input_clear (&input);
          return FALSE;
        }
      g_array_append_val (budget->inputs, input);
      g_array_append_val (budget->reliability, reliability);
    }
  return TRUE;
}

static gboolean
parse_observations (CbBudget    *budget,
                    JsonObject  *root,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (root, "observations");
  g_autoptr(GList) members = NULL;
  const char *first = NULL;
  JsonObject *object;
  guint length = 0;

  if (node == NULL)
    return TRUE;
  if (!read_object (node, "observations", &object, error))
    return FALSE;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = g_strdup_printf ("observations.%s", name);
      g_autofree char *normal = NULL;
      double reliability = NAN;
      CbInput input;

      if (!check_name (name, path, error))
        return FALSE;
      if (find_input (budget, name) >= 0)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: the name \"%s\" is already used by an input"), path, name);
          return FALSE;
        }

      normal = normalize_name (name);
      input_init (&input, normal);
      input.kind = CB_INPUT_OBSERVED;
      input.readings = read_readings (json_object_get_member (object, name), path, error);
      if (input.readings == NULL)
        {
          input_clear (&input);
          return FALSE;
        }
      if (first == NULL)
        {
          first = name;
          length = input.readings->len;
        }
      else if (input.readings->len != length)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: simultaneous observations need equal lengths: expected %u values like \"%s\", found %u"),
                       path, length, first, input.readings->len);
          input_clear (&input);
          return FALSE;
        }
      if (!set_type_a (&input, path, error))
        {
          input_clear (&input);
          return FALSE;
        }
      g_array_append_val (budget->inputs, input);
      g_array_append_val (budget->reliability, reliability);
    }
  return TRUE;
}

/* Observed inputs' correlations, GUM 5.2.3 and H.2: r = s(q,w) / (s(q) s(w)). */
static void
set_observed_correlations (CbBudget *budget)
{
  guint n = budget->inputs->len;

  for (guint i = 0; i < n; i++)
    {
      const CbInput *a = &g_array_index (budget->inputs, CbInput, i);

      if (a->kind != CB_INPUT_OBSERVED)
        continue;
      for (guint j = i + 1; j < n; j++)
        {
          const CbInput *b = &g_array_index (budget->inputs, CbInput, j);
          const double *x, *y;
          double sx = 0, sy = 0, sxy = 0, r = 0;
          guint m;

          if (b->kind != CB_INPUT_OBSERVED)
            continue;
          x = (const double *) (gpointer) a->readings->data;
          y = (const double *) (gpointer) b->readings->data;
          m = a->readings->len;
          for (guint t = 0; t < m; t++)
            {
              double dx = x[t] - a->value, dy = y[t] - b->value;

              sx += dx * dx;
              sy += dy * dy;
              sxy += dx * dy;
            }
          if (sx > 0 && sy > 0)
            r = CLAMP (sxy / sqrt (sx * sy), -1.0, 1.0);
          budget->correlation[i * n + j] = budget->correlation[j * n + i] = r;
        }
    }
}

static gboolean
read_correlation_name (CbBudget    *budget,
                       JsonNode    *node,
                       const char  *path,
                       guint       *index,
                       GError     **error)
{
  const char *name;
  int i;

  if (!read_string (node, path, &name, error))
    return FALSE;
  i = find_input (budget, name);
  if (i < 0)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_UNKNOWN_NAME,
                   _("%s: unknown input \"%s\""), path, name);
      return FALSE;
    }
  *index = (guint) i;
  return TRUE;
}

/* A correlation matrix must be positive semi-definite: a Cholesky
 * factorisation that tolerates zero pivots tells. */
static gboolean
is_positive_semidefinite (const double *r,
                          guint         n)
{
  g_autofree double *l = g_new0 (double, (gsize) n * n);
  const double tolerance = 1e-10;

  for (guint j = 0; j < n; j++)
    {
      double d = r[j * n + j];

      for (guint k = 0; k < j; k++)
        d -= l[j * n + k] * l[j * n + k];
      if (d < -tolerance)
        return FALSE;

      if (d <= tolerance)
        {
          /* A zero pivot: the rest of the column must vanish too. */
          for (guint i = j + 1; i < n; i++)
            {
              double s = r[i * n + j];

              for (guint k = 0; k < j; k++)
                s -= l[i * n + k] * l[j * n + k];
              if (fabs (s) > 1e-7)
                return FALSE;
              l[i * n + j] = 0;
            }
          l[j * n + j] = 0;
          continue;
        }

      l[j * n + j] = sqrt (d);
      for (guint i = j + 1; i < n; i++)
        {
          double s = r[i * n + j];

          for (guint k = 0; k < j; k++)
            s -= l[i * n + k] * l[j * n + k];
          l[i * n + j] = s / l[j * n + j];
        }
    }
  return TRUE;
}

static gboolean
parse_correlations (CbBudget    *budget,
                    JsonObject  *root,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (root, "correlations");
  guint n = budget->inputs->len;
  g_autofree char *found = NULL;
  JsonArray *array;

  budget->correlation = g_new0 (double, (gsize) n * n + 1);
  for (guint i = 0; i < n; i++)
    budget->correlation[i * n + i] = 1;
  set_observed_correlations (budget);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      found = describe_node (node);
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected an array of [name, name, r], found %s"),
                   "correlations", found);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint e = 0; e < json_array_get_length (array); e++)
    {
      g_autofree char *path = g_strdup_printf ("correlations[%u]", e);
      g_autofree char *where = NULL;
      JsonNode *entry = json_array_get_element (array, e);
      GivenCorrelation given;
      const CbInput *a, *b;
      JsonArray *triple;
      JsonNode *r_node;

      if (!JSON_NODE_HOLDS_ARRAY (entry)
          || json_array_get_length (json_node_get_array (entry)) != 3)
        {
          g_free (found);
          found = describe_node (entry);
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: expected [name, name, r], found %s"), path, found);
          return FALSE;
        }
      triple = json_node_get_array (entry);

      where = g_strdup_printf ("%s[0]", path);
      if (!read_correlation_name (budget, json_array_get_element (triple, 0), where,
                                  &given.a, error))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("%s[1]", path);
      if (!read_correlation_name (budget, json_array_get_element (triple, 1), where,
                                  &given.b, error))
        return FALSE;

      a = &g_array_index (budget->inputs, CbInput, given.a);
      b = &g_array_index (budget->inputs, CbInput, given.b);
      if (given.a == given.b)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: an input cannot be correlated with itself (\"%s\")"),
                       path, a->name);
          return FALSE;
        }

      g_free (where);
      where = g_strdup_printf ("%s[2]", path);
      r_node = json_array_get_element (triple, 2);
      if (!node_get_double (r_node, &given.r) || fabs (given.r) > 1)
        {
          g_free (found);
          found = describe_node (r_node);
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: expected a correlation coefficient from -1 to 1, found %s"),
                       where, found);
          return FALSE;
        }

      if (a->kind == CB_INPUT_OBSERVED && b->kind == CB_INPUT_OBSERVED)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: the correlation between \"%s\" and \"%s\" comes from their observations"),
                       path, a->name, b->name);
          return FALSE;
        }
      for (guint i = 0; i < budget->given->len; i++)
        {
          const GivenCorrelation *other = &g_array_index (budget->given, GivenCorrelation, i);

          if ((other->a == given.a && other->b == given.b)
              || (other->a == given.b && other->b == given.a))
            {
              g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                           _("%s: the correlation between \"%s\" and \"%s\" is already given in correlations[%u]"),
                           path, a->name, b->name, i);
              return FALSE;
            }
        }

      budget->correlation[given.a * n + given.b] = given.r;
      budget->correlation[given.b * n + given.a] = given.r;
      g_array_append_val (budget->given, given);
    }

  if (!is_positive_semidefinite (budget->correlation, n))
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: the correlation coefficients contradict each other "
                     "(their matrix is not positive semi-definite)"), "correlations");
      return FALSE;
    }
  return TRUE;
}

/* Parsing: outputs */

static int
find_output_by_name (const Output *outputs,
                     guint         n,
                     const char   *name)
{
  g_autofree char *normal = NULL;

  if (!g_str_is_ascii (name))
    name = normal = normalize_name (name);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (outputs[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* deps[i * n + j]: output i (JSON order) uses output j */
static gboolean *
output_dependencies (const Output *outputs,
                     guint         n)
{
  gboolean *deps = g_new0 (gboolean, (gsize) n * n + 1);

  for (guint i = 0; i < n; i++)
    {
      const char * const *names = cb_expr_get_names (outputs[i].expr);

      for (guint t = 0; names != NULL && names[t] != NULL; t++)
        {
          int j = find_output_by_name (outputs, n, names[t]);

          if (j >= 0)
            deps[i * n + (guint) j] = TRUE;
        }
    }
  return deps;
}

/* Orders the outputs so that each uses only earlier ones, keeping the
 * written order where the dependencies allow. */
static gboolean
sort_outputs (Output    *outputs,
              guint      n,
              guint     *order,
              GError   **error)
{
  g_autofree gboolean *deps = output_dependencies (outputs, n);
  g_autofree gboolean *placed = g_new0 (gboolean, n + 1);
  guint n_placed = 0;

  while (n_placed < n)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < n && !progress; i++)
        {
          gboolean ready = !placed[i];

          for (guint j = 0; j < n && ready; j++)
            if (deps[i * n + j] && !placed[j])
              ready = FALSE;
          if (ready)
            {
              placed[i] = TRUE;
              order[n_placed++] = i;
              progress = TRUE;
            }
        }

      if (!progress)
        {
          /* Every unplaced output waits on another unplaced one: walk
           * those edges until a name repeats, and report that loop. */
          g_autofree guint *walk = g_new (guint, n + 1);
          g_autofree int *seen_at = g_new (int, n + 1);
          g_autoptr(GString) cycle = g_string_new (NULL);
          guint length = 0, current = 0, start;

          for (guint i = 0; i < n; i++)
            seen_at[i] = -1;
          while (placed[current])
            current++;
          while (seen_at[current] < 0)
            {
              seen_at[current] = (int) length;
              walk[length++] = current;
              for (guint j = 0; j < n; j++)
                if (deps[current * n + j] && !placed[j])
                  {
                    current = j;
                    break;
                  }
            }

          for (start = (guint) seen_at[current]; start < length; start++)
            g_string_append_printf (cycle, "'%s' → ", outputs[walk[start]].name);
          g_string_append_printf (cycle, "'%s'", outputs[current].name);
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_CYCLE,
                       _("%s: cycle between %s"), "outputs", cycle->str);
          return FALSE;
        }
    }
  return TRUE;
}

static void
set_uses (CbBudget *budget)
{
  guint n = budget->inputs->len;

  for (guint o = 0; o < budget->n_outputs; o++)
    {
      Output *output = &budget->outputs[o];
      const char * const *names = cb_expr_get_names (output->expr);

      output->uses = g_new0 (gboolean, n + 1);
      for (guint t = 0; names != NULL && names[t] != NULL; t++)
        {
          int i = find_input (budget, names[t]);
          int j = find_output_by_name (budget->outputs, o, names[t]);

          if (i >= 0)
            output->uses[i] = TRUE;
          else if (j >= 0)
            for (guint q = 0; q < n; q++)
              output->uses[q] |= budget->outputs[j].uses[q];
        }
    }
}

static gboolean
parse_outputs (CbBudget    *budget,
               JsonObject  *root,
               GError     **error)
{
  JsonNode *node = json_object_get_member (root, "outputs");
  g_autoptr(GList) members = NULL;
  g_autofree Output *written = NULL;
  g_autofree guint *order = NULL;
  guint n_inputs = budget->inputs->len;
  JsonObject *object;
  guint n, i;

  if (node == NULL)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: missing; expected at least one output"), "outputs");
      return FALSE;
    }
  if (!read_object (node, "outputs", &object, error))
    return FALSE;

  members = json_object_get_members (object);
  n = g_list_length (members);
  if (n == 0)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected at least one output"), "outputs");
      return FALSE;
    }

  /* Parsed in the written order first, so that errors come in that order. */
  written = g_new0 (Output, n);
  i = 0;
  for (GList *l = members; l != NULL; l = l->next, i++)
    {
      const char *name = l->data;
      g_autofree char *path = g_strdup_printf ("outputs.%s", name);
      g_autoptr(GError) local = NULL;
      const char *text;

      written[i].position = i;
      if (!check_name (name, path, error))
        goto fail;
      if (find_output_by_name (written, i, name) >= 0)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: defined twice"), path);
          goto fail;
        }
      written[i].name = normalize_name (name);
      if (find_input (budget, name) >= 0)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: the name \"%s\" is already used by an input"), path, name);
          goto fail;
        }
      if (!read_string (json_object_get_member (object, name), path, &text, error))
        goto fail;
      written[i].expr = cb_expr_parse (text, &local);
      if (written[i].expr == NULL)
        {
          g_set_error (error, CB_BUDGET_ERROR,
                       g_error_matches (local, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME)
                       ? CB_BUDGET_ERROR_UNKNOWN_NAME : CB_BUDGET_ERROR_INVALID,
                       "%s: %s", path, local->message);
          goto fail;
        }
    }

  /* Every name must be an input or an output. */
  for (i = 0; i < n; i++)
    {
      const char * const *names = cb_expr_get_names (written[i].expr);

      for (guint t = 0; names != NULL && names[t] != NULL; t++)
        {
          g_autoptr(GError) local = NULL;
          g_autoptr(GPtrArray) slots = NULL;

          if (find_input (budget, names[t]) >= 0
              || find_output_by_name (written, n, names[t]) >= 0)
            continue;

          /* The expression module knows where the name stands. */
          slots = g_ptr_array_new ();
          for (guint q = 0; q < n_inputs; q++)
            g_ptr_array_add (slots, g_array_index (budget->inputs, CbInput, q).name);
          for (guint q = 0; q < n; q++)
            g_ptr_array_add (slots, written[q].name);
          if (!cb_expr_bind (written[i].expr, (const char * const *) slots->pdata,
                             slots->len, &local))
            g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_UNKNOWN_NAME,
                         "outputs.%s: %s", written[i].name, local->message);
          else
            g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_UNKNOWN_NAME,
                         _("outputs.%s: unknown name '%s'"), written[i].name, names[t]);
          goto fail;
        }
    }

  order = g_new (guint, n);
  if (!sort_outputs (written, n, order, error))
    goto fail;

  budget->outputs = g_new0 (Output, n);
  budget->n_outputs = n;
  for (i = 0; i < n; i++)
    budget->outputs[i] = written[order[i]];
  g_clear_pointer (&written, g_free);

  budget->slots = g_new0 (const char *, n_inputs + n + 1);
  for (i = 0; i < n_inputs; i++)
    budget->slots[i] = g_array_index (budget->inputs, CbInput, i).name;
  for (i = 0; i < n; i++)
    budget->slots[n_inputs + i] = budget->outputs[i].name;

  for (i = 0; i < n; i++)
    {
      g_autoptr(GError) local = NULL;

      if (!cb_expr_bind (budget->outputs[i].expr, budget->slots, n_inputs + n, &local))
        {
          g_set_error (error, CB_BUDGET_ERROR,
                       g_error_matches (local, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME)
                       ? CB_BUDGET_ERROR_UNKNOWN_NAME : CB_BUDGET_ERROR_INVALID,
                       "outputs.%s: %s", budget->outputs[i].name, local->message);
          return FALSE;
        }
    }

  set_uses (budget);
  return TRUE;

fail:
  for (i = 0; i < n; i++)
    {
      g_free (written[i].name);
      g_clear_pointer (&written[i].expr, cb_expr_unref);
    }
  return FALSE;
}

static gboolean
parse_report (CbBudget    *budget,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *node = json_object_get_member (root, "report");
  g_autofree char *found = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL)
    {
      /* Every output, in the order written. */
      budget->n_reported = budget->n_outputs;
      budget->reported = g_new (guint, budget->n_outputs);
      for (guint i = 0; i < budget->n_outputs; i++)
        budget->reported[budget->outputs[i].position] = i;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected at least one output name"), "report");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      found = describe_node (node);
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected an array of output names, found %s"), "report", found);
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  budget->report_given = TRUE;
  budget->reported = g_new (guint, n);
  for (guint e = 0; e < n; e++)
    {
      g_autofree char *path = g_strdup_printf ("report[%u]", e);
      const char *name;
      int index;

      if (!read_string (json_array_get_element (array, e), path, &name, error))
        return FALSE;
      index = find_output_by_name (budget->outputs, budget->n_outputs, name);
      if (index < 0)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_UNKNOWN_NAME,
                       _("%s: unknown output \"%s\""), path, name);
          return FALSE;
        }
      for (guint q = 0; q < budget->n_reported; q++)
        if (budget->reported[q] == (guint) index)
          {
            g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                         _("%s: \"%s\" is already listed"), path, name);
            return FALSE;
          }
      budget->reported[budget->n_reported++] = (guint) index;
    }
  return TRUE;
}

static gboolean
parse_coverage (CbBudget    *budget,
                JsonObject  *root,
                GError     **error)
{
  static const char * const keys[] = { "p", "k", NULL };
  JsonNode *node = json_object_get_member (root, "coverage");
  JsonObject *object;
  gboolean has_p, has_k;

  if (node == NULL)
    return TRUE;
  if (!read_object (node, "coverage", &object, error)
      || !check_keys (object, "coverage", keys, error))
    return FALSE;

  has_p = json_object_has_member (object, "p");
  has_k = json_object_has_member (object, "k");
  if (has_p == has_k)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: give either a coverage probability \"p\" or a coverage factor \"k\""),
                   "coverage");
      return FALSE;
    }

  if (has_p)
    {
      budget->k = NAN;
      return read_probability (json_object_get_member (object, "p"), "coverage.p",
                               &budget->p, error);
    }
  budget->p = NAN;
  return read_positive (json_object_get_member (object, "k"), "coverage.k",
                        &budget->k, error);
}

static gboolean
parse_root (CbBudget    *budget,
            JsonNode    *root,
            GError     **error)
{
  g_autofree char *found = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      found = describe_node (root);
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("budget: expected a JSON object, found %s"), found);
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!check_keys (object, "", top_keys, error))
    return FALSE;

  node = json_object_get_member (object, "description");
  if (node != NULL)
    {
      const char *s;

      if (!read_string (node, "description", &s, error))
        return FALSE;
      budget->description = g_strdup (s);
    }

  node = json_object_get_member (object, "second_order");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          found = describe_node (node);
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                       _("%s: expected true or false, found %s"), "second_order", found);
          return FALSE;
        }
      budget->second_order = json_node_get_boolean (node);
    }

  if (!parse_inputs (budget, object, error)
      || !parse_observations (budget, object, error))
    return FALSE;

  if (budget->inputs->len == 0)
    {
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                   _("%s: expected at least one input or observation"), "inputs");
      return FALSE;
    }

  return parse_correlations (budget, object, error)
         && parse_outputs (budget, object, error)
         && parse_report (budget, object, error)
         && parse_coverage (budget, object, error);
}

/* Duplicate keys: json-glib keeps the last silently, which would hide a
 * second definition of the same input.  The text is already known to be
 * valid JSON here, so a light scan of strings and nesting is enough. */

typedef struct
{
  gboolean    is_object;
  GHashTable *keys;
  char       *key;
  guint       index;
} ScanFrame;

static void
scan_frame_clear (gpointer data)
{
  ScanFrame *frame = data;

  g_clear_pointer (&frame->keys, g_hash_table_unref);
  g_clear_pointer (&frame->key, g_free);
}

static char *
scan_path (GArray     *frames,
           const char *key)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i + 1 < frames->len; i++)
    {
      ScanFrame *frame = &g_array_index (frames, ScanFrame, i);

      if (frame->is_object)
        g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "",
                                frame->key != NULL ? frame->key : "");
      else
        g_string_append_printf (path, "[%u]", frame->index);
    }
  g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "", key);
  return g_string_free (path, FALSE);
}

static gboolean
check_duplicate_keys (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (ScanFrame));
  gsize i = 0;

  g_array_set_clear_func (frames, scan_frame_clear);

  while (i < length)
    {
      char c = data[i];

      if (c == '"')
        {
          gsize start = ++i, end;

          while (i < length && data[i] != '"')
            i += data[i] == '\\' ? 2 : 1;
          end = MIN (i, length);
          i++;

          if (frames->len > 0)
            {
              ScanFrame *top = &g_array_index (frames, ScanFrame, frames->len - 1);
              gsize j = i;

              while (j < length && g_ascii_isspace (data[j]))
                j++;
              if (top->is_object && j < length && data[j] == ':')
                {
                  char *key = g_strndup (data + start, end - start);

                  if (g_hash_table_contains (top->keys, key))
                    {
                      g_autofree char *path = scan_path (frames, key);

                      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID,
                                   _("%s: defined twice"), path);
                      g_free (key);
                      return FALSE;
                    }
                  g_hash_table_add (top->keys, key);
                  g_free (top->key);
                  top->key = g_strdup (key);
                }
            }
          continue;
        }

      if (c == '{' || c == '[')
        {
          ScanFrame frame = { c == '{', NULL, NULL, 0 };

          if (frame.is_object)
            frame.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_array_append_val (frames, frame);
        }
      else if ((c == '}' || c == ']') && frames->len > 0)
        g_array_set_size (frames, frames->len - 1);
      else if (c == ',' && frames->len > 0)
        g_array_index (frames, ScanFrame, frames->len - 1).index++;
      i++;
    }
  return TRUE;
}

/* Public API */

CbBudget *
cb_budget_new_from_json (JsonNode  *root,
                         GError   **error)
{
  CbBudget *budget = budget_new ();

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_root (budget, root, error))
    {
      budget_free (budget);
      return NULL;
    }
  return budget;
}

CbBudget *
cb_budget_new_from_data (const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (data);

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      const char *message = local->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_PARSE,
                   _("malformed JSON: %s"), message);
      return NULL;
    }

  if (!check_duplicate_keys (data, (gsize) length, error))
    return NULL;

  return cb_budget_new_from_json (json_parser_get_root (parser), error);
}

CbBudget *
cb_budget_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return cb_budget_new_from_data (data, (gssize) length, error);
}

CbBudget *
cb_budget_ref (CbBudget *budget)
{
  g_return_val_if_fail (budget != NULL, NULL);

  g_atomic_ref_count_inc (&budget->ref_count);
  return budget;
}

void
cb_budget_unref (CbBudget *budget)
{
  g_return_if_fail (budget != NULL);

  if (g_atomic_ref_count_dec (&budget->ref_count))
    budget_free (budget);
}

/* Integers stay integers in the written file; other numbers are doubles. */
static void
set_number (JsonObject *object,
            const char *key,
            double      x)
{
  if (x == floor (x) && fabs (x) < 1e15)
    json_object_set_int_member (object, key, (gint64) x);
  else
    json_object_set_double_member (object, key, x);
}

static JsonArray *
readings_to_array (const GArray *readings)
{
  JsonArray *array = json_array_sized_new (readings->len);

  for (guint i = 0; i < readings->len; i++)
    {
      double x = g_array_index (readings, double, i);
      JsonNode *node = json_node_new (JSON_NODE_VALUE);

      if (x == floor (x) && fabs (x) < 1e15)
        json_node_set_int (node, (gint64) x);
      else
        json_node_set_double (node, x);
      json_array_add_element (array, node);
    }
  return array;
}

static JsonObject *
input_to_json (const CbInput *input,
               double         reliability)
{
  JsonObject *object = json_object_new ();

  if (input->kind == CB_INPUT_READINGS)
    json_object_set_array_member (object, "readings", readings_to_array (input->readings));
  else
    {
      set_number (object, "value", input->value);
      switch (input->kind)
        {
        case CB_INPUT_STANDARD:
          set_number (object, "u", input->u);
          break;
        case CB_INPUT_EXPANDED_K:
          set_number (object, "U", input->expanded);
          set_number (object, "k", input->k);
          break;
        case CB_INPUT_EXPANDED_P:
          set_number (object, "U", input->expanded);
          set_number (object, "p", input->p);
          break;
        case CB_INPUT_DISTRIBUTION:
          json_object_set_string_member (object, "distribution",
                                         distribution_names[input->distribution]);
          if (input->distribution == CB_DISTRIBUTION_NORMAL)
            set_number (object, "u", input->u);
          else if (input->distribution == CB_DISTRIBUTION_STUDENT_T)
            set_number (object, "u", input->scale);
          else
            set_number (object, "half_width", input->half_width);
          if (input->distribution == CB_DISTRIBUTION_TRAPEZOIDAL)
            set_number (object, "beta", input->beta);
          if (input->distribution == CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL)
            set_number (object, "d", input->d);
          break;
        case CB_INPUT_READINGS:
        case CB_INPUT_OBSERVED:
        default:
          break;
        }
      if (!isnan (reliability))
        set_number (object, "reliability", reliability);
      else if (isfinite (input->dof))
        set_number (object, "dof", input->dof);
    }

  if (input->unit != NULL)
    json_object_set_string_member (object, "unit", input->unit);
  if (input->description != NULL)
    json_object_set_string_member (object, "description", input->description);
  return object;
}

JsonNode *
cb_budget_to_json (const CbBudget *budget)
{
  JsonObject *root, *inputs, *outputs, *coverage;
  JsonObject *observations = NULL;
  JsonNode *node;

  g_return_val_if_fail (budget != NULL, NULL);

  root = json_object_new ();
  if (budget->description != NULL)
    json_object_set_string_member (root, "description", budget->description);

  inputs = json_object_new ();
  for (guint i = 0; i < budget->inputs->len; i++)
    {
      const CbInput *input = &g_array_index (budget->inputs, CbInput, i);

      if (input->kind == CB_INPUT_OBSERVED)
        {
          if (observations == NULL)
            observations = json_object_new ();
          json_object_set_array_member (observations, input->name,
                                        readings_to_array (input->readings));
        }
      else
        json_object_set_object_member (inputs, input->name,
                                       input_to_json (input,
                                                      g_array_index (budget->reliability, double, i)));
    }
  json_object_set_object_member (root, "inputs", inputs);
  if (observations != NULL)
    json_object_set_object_member (root, "observations", observations);

  if (budget->given->len > 0)
    {
      JsonArray *correlations = json_array_new ();

      for (guint i = 0; i < budget->given->len; i++)
        {
          const GivenCorrelation *given = &g_array_index (budget->given, GivenCorrelation, i);
          JsonArray *triple = json_array_sized_new (3);

          json_array_add_string_element (triple, g_array_index (budget->inputs, CbInput, given->a).name);
          json_array_add_string_element (triple, g_array_index (budget->inputs, CbInput, given->b).name);
          json_array_add_double_element (triple, given->r);
          json_array_add_array_element (correlations, triple);
        }
      json_object_set_array_member (root, "correlations", correlations);
    }

  /* Outputs in the order they were written. */
  outputs = json_object_new ();
  for (guint position = 0; position < budget->n_outputs; position++)
    for (guint i = 0; i < budget->n_outputs; i++)
      if (budget->outputs[i].position == position)
        json_object_set_string_member (outputs, budget->outputs[i].name,
                                       cb_expr_get_text (budget->outputs[i].expr));
  json_object_set_object_member (root, "outputs", outputs);

  if (budget->report_given)
    {
      JsonArray *report = json_array_new ();

      for (guint i = 0; i < budget->n_reported; i++)
        json_array_add_string_element (report, budget->outputs[budget->reported[i]].name);
      json_object_set_array_member (root, "report", report);
    }

  coverage = json_object_new ();
  if (!isnan (budget->p))
    set_number (coverage, "p", budget->p);
  else
    set_number (coverage, "k", budget->k);
  json_object_set_object_member (root, "coverage", coverage);

  if (budget->second_order)
    json_object_set_boolean_member (root, "second_order", TRUE);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

guint
cb_budget_get_n_inputs (const CbBudget *budget)
{
  g_return_val_if_fail (budget != NULL, 0);

  return budget->inputs->len;
}

const CbInput *
cb_budget_get_input (const CbBudget *budget,
                     guint           index)
{
  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (index < budget->inputs->len, NULL);

  return &g_array_index (budget->inputs, CbInput, index);
}

int
cb_budget_find_input (const CbBudget *budget,
                      const char     *name)
{
  g_return_val_if_fail (budget != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  return find_input (budget, name);
}

double
cb_budget_get_correlation (const CbBudget *budget,
                           guint           i,
                           guint           j)
{
  guint n;

  g_return_val_if_fail (budget != NULL, NAN);
  n = budget->inputs->len;
  g_return_val_if_fail (i < n && j < n, NAN);

  return budget->correlation[i * n + j];
}

guint
cb_budget_get_n_outputs (const CbBudget *budget)
{
  g_return_val_if_fail (budget != NULL, 0);

  return budget->n_outputs;
}

const char *
cb_budget_get_output_name (const CbBudget *budget,
                           guint           index)
{
  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (index < budget->n_outputs, NULL);

  return budget->outputs[index].name;
}

int
cb_budget_find_output (const CbBudget *budget,
                       const char     *name)
{
  g_return_val_if_fail (budget != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  return find_output_by_name (budget->outputs, budget->n_outputs, name);
}

gboolean
cb_budget_output_uses_input (const CbBudget *budget,
                             guint           index,
                             guint           input)
{
  g_return_val_if_fail (budget != NULL, FALSE);
  g_return_val_if_fail (index < budget->n_outputs, FALSE);
  g_return_val_if_fail (input < budget->inputs->len, FALSE);

  return budget->outputs[index].uses[input];
}

const char *
cb_budget_get_output_expression (const CbBudget *budget,
                                 guint           index)
{
  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (index < budget->n_outputs, NULL);

  return cb_expr_get_text (budget->outputs[index].expr);
}

const guint *
cb_budget_get_reported (const CbBudget *budget,
                        guint          *n_reported)
{
  g_return_val_if_fail (budget != NULL, NULL);

  if (n_reported != NULL)
    *n_reported = budget->n_reported;
  return budget->reported;
}

void
cb_budget_get_coverage (const CbBudget *budget,
                        double         *p,
                        double         *k)
{
  g_return_if_fail (budget != NULL);

  if (p != NULL)
    *p = budget->p;
  if (k != NULL)
    *k = budget->k;
}

gboolean
cb_budget_get_second_order (const CbBudget *budget)
{
  g_return_val_if_fail (budget != NULL, FALSE);

  return budget->second_order;
}

const char *
cb_budget_get_description (const CbBudget *budget)
{
  g_return_val_if_fail (budget != NULL, NULL);

  return budget->description;
}

const CbExpr *
cb_budget_get_output_expr (const CbBudget *budget,
                           guint           index)
{
  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (index < budget->n_outputs, NULL);

  return budget->outputs[index].expr;
}
