/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/cb-record.h"

G_BEGIN_DECLS

/* A small calibration template: three repeats per point, an error aligned to
 * its expanded uncertainty, a budget of resolution and repeatability. */
#define MINIMAL \
  "{\"format\": \"calbench-template/1\", \"id\": \"t\", \"title\": \"T\", \"kind\": \"calibration\"," \
  " \"method\": {\"code\": \"X 1-2000\", \"name\": \"Y\"}," \
  " \"parameters\": [{\"name\": \"res\", \"unit\": \"V\", \"default\": \"0.001\"}]," \
  " \"blocks\": [{\"name\": \"b\", \"nominal\": {\"name\": \"x\", \"unit\": \"V\"}," \
  "   \"points\": [{\"nominal\": \"1\"}, {\"nominal\": \"2\"}]," \
  "   \"readings\": [{\"name\": \"r\", \"unit\": \"V\", \"repeats\": 3}]," \
  "   \"columns\": [{\"name\": \"e\", \"unit\": \"V\", \"expr\": \"r - x\", \"round\": {\"align\": \"U\"}}," \
  "                 {\"name\": \"c\", \"unit\": \"V\", \"expr\": \"-e\"}]," \
  "   \"uncertainty\": {\"unit\": \"V\", \"components\": [{\"name\": \"u_res\", \"u\": \"res / sqrt(12)\"}," \
  "                                                    {\"name\": \"u_rep\", \"u\": \"r_s / sqrt(r_n)\"}]," \
  "                     \"combined\": {\"name\": \"uc\"}, \"expanded\": {\"name\": \"U\", \"k\": 2, \"round\": {\"significant\": 2}}}," \
  "   \"checks\": [{\"name\": \"ok\", \"error\": \"e\", \"limit\": \"0.01\", \"U\": \"U\"}]," \
  "   \"summary\": [{\"name\": \"emax\", \"unit\": \"V\", \"aggregate\": \"maxabs\", \"of\": \"e\"}]}]," \
  " \"conclusion\": {\"pass\": \"ok\", \"fail\": \"bad\"}}"


/* A template from the shipped data/templates folder, or a test failure. */
CbTemplate *record_test_load_template (const char  *name);
/* Sets @cell or fails the test with the error. */
void        record_test_set           (CbRecord    *record,
                                       const char  *cell,
                                       const char  *text);
/* The cell's text, asserting it is computed without error. */
const char *record_test_text          (CbRecord    *record,
                                       const char  *cell);
double      record_test_value         (CbRecord    *record,
                                       const char  *cell);
const char *record_test_decision      (CbRecord    *record,
                                       const char  *block,
                                       guint        point,
                                       const char  *check);

G_END_DECLS
