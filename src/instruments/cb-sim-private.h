/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-sim.h"

G_BEGIN_DECLS

/* One simulated instrument model.  The serving loop in cb-sim.c splits the
 * input (lines, or Modbus frames for binary models), applies faults, and
 * calls these with the simulator locked. */
typedef struct
{
  const char *name;
  gboolean    binary;               /* Modbus RTU frames instead of lines */
  const char *reply_terminator;
  gpointer  (*state_new)   (CbSim       *sim);
  void      (*state_free)  (gpointer     state);
  /* One command (text models, SCPI ';'-separated parts already split);
   * appends any reply to @reply. */
  void      (*command)     (CbSim       *sim,
                            const char  *command,
                            GString     *reply);
  /* One complete request frame (binary models); appends the reply frame. */
  void      (*frame)       (CbSim       *sim,
                            const guint8 *frame,
                            gsize        length,
                            GByteArray  *reply);
  gboolean  (*output_on)   (CbSim       *sim);
  double    (*output_value) (CbSim      *sim);
} CbSimModel;

struct _CbSim
{
  CbSimKind         kind;
  const CbSimModel *model;
  gpointer          state;
  GMutex            lock;
  GRand            *rand;
  gint64            start_us;
  double            advanced;      /* seconds added by cb_sim_advance() */
  double            input;         /* the DMM's measured input */
  double            room;          /* the thermohygrometer's room, °C */
  CbSim            *source;        /* or another simulator's output */
  CbSimFault        fault;
  guint             n_commands;
  guint             n_replies;
  guint             n_faults;
  GQueue            errors;        /* char *: "code,\"text\"" */
};

extern const CbSimModel cb_sim_dmm_model;
extern const CbSimModel cb_sim_calibrator_model;
extern const CbSimModel cb_sim_pressure_model;
extern const CbSimModel cb_sim_thermohygrometer_model;

/* What the DMM measures: its input, or the connected source's output. */
double    cb_sim_input          (CbSim       *sim);
/* Simulated time in seconds since the simulator started. */
double    cb_sim_now            (CbSim       *sim);
/* A normal deviate with @sigma from the seeded generator. */
double    cb_sim_gauss          (CbSim       *sim,
                                 double       sigma);
/* Error queue, bounded as an instrument's (an overflow replaces the last). */
void      cb_sim_push_error     (CbSim       *sim,
                                 int          code,
                                 const char  *text);
/* "0,\"No error\"" style, with @no_error for an empty queue. */
char     *cb_sim_pop_error      (CbSim       *sim,
                                 const char  *no_error);

/* SCPI header matching: @pattern as in the manuals, "CONFigure:VOLTage[:DC]",
 * with optional nodes in brackets; @header in short or long form, any case.
 * A query pattern ends with "?". */
gboolean  cb_sim_scpi_match     (const char  *header,
                                 const char  *pattern);
/* Splits "CONF:VOLT:DC 10,0.001" into header and argument text. */
void      cb_sim_scpi_split     (const char  *command,
                                 char       **header,
                                 char       **arguments);
/* A number in SCPI form, or MIN/MAX/DEF/AUTO mapped through the given
 * values (NAN when the word does not apply). */
gboolean  cb_sim_scpi_number    (const char  *text,
                                 double       min,
                                 double       max,
                                 double       def,
                                 double      *value);

G_END_DECLS
