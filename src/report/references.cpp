// The report's reference list: every method the page cites, in APA style, so the page can stand as
// a supplement. Plain text with DOIs (no links: the page fetches nothing and points nowhere).
#include "report_parts.hpp"

namespace attune::report {

namespace {

struct Reference {
  const char* text;  // HTML-escaped already
  bool irt;          // cited only in the IRT section
};

// Alphabetical by first author, then year.
constexpr Reference kReferences[] = {
    {"Bock, R. D., &amp; Aitkin, M. (1981). Marginal maximum likelihood estimation of item parameters: Application of an EM "
     "algorithm. <i>Psychometrika, 46</i>(4), 443&ndash;459. doi:10.1007/BF02293801", true},
    {"Bock, R. D., &amp; Mislevy, R. J. (1982). Adaptive EAP estimation of ability in a microcomputer environment. <i>Applied "
     "Psychological Measurement, 6</i>(4), 431&ndash;444. doi:10.1177/014662168200600405", true},
    {"Brown, W. (1910). Some experimental results in the correlation of mental abilities. <i>British Journal of Psychology, "
     "3</i>(3), 296&ndash;322. doi:10.1111/j.2044-8295.1910.tb00207.x", false},
    {"Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. <i>Psychometrika, 16</i>(3), 297&ndash;334. "
     "doi:10.1007/BF02310555", false},
    {"Curran, P. G. (2016). Methods for the detection of carelessly invalid responses in survey data. <i>Journal of Experimental "
     "Social Psychology, 66</i>, 4&ndash;19. doi:10.1016/j.jesp.2015.07.006", false},
    {"Duhachek, A., &amp; Iacobucci, D. (2004). Alpha's standard error (ASE): An accurate and precise confidence interval estimate. "
     "<i>Journal of Applied Psychology, 89</i>(5), 792&ndash;808. doi:10.1037/0021-9010.89.5.792", false},
    {"Dunn, A. M., Heggestad, E. D., Shanock, L. R., &amp; Theilgard, N. (2018). Intra-individual response variability as an "
     "indicator of insufficient effort responding: Comparison to other indicators and relationships with individual differences. "
     "<i>Journal of Business and Psychology, 33</i>(1), 105&ndash;121. doi:10.1007/s10869-016-9479-0", false},
    {"Feldt, L. S., Woodruff, D. J., &amp; Salih, F. A. (1987). Statistical inference for coefficient alpha. <i>Applied "
     "Psychological Measurement, 11</i>(1), 93&ndash;103. doi:10.1177/014662168701100107", false},
    {"Green, B. F., Bock, R. D., Humphreys, L. G., Linn, R. L., &amp; Reckase, M. D. (1984). Technical guidelines for assessing "
     "computerized adaptive tests. <i>Journal of Educational Measurement, 21</i>(4), 347&ndash;360. "
     "doi:10.1111/j.1745-3984.1984.tb01039.x", true},
    {"Guttman, L. (1945). A basis for analyzing test-retest reliability. <i>Psychometrika, 10</i>(4), 255&ndash;282. "
     "doi:10.1007/BF02288892", false},
    {"Jackson, D. N. (1976). <i>The appraisal of personal reliability</i>. Paper presented at the meeting of the Society of "
     "Multivariate Experimental Psychology, University Park, PA.", false},
    {"Johnson, J. A. (2005). Ascertaining the validity of individual protocols from Web-based personality inventories. "
     "<i>Journal of Research in Personality, 39</i>(1), 103&ndash;129. doi:10.1016/j.jrp.2004.09.009", false},
    {"Mahalanobis, P. C. (1936). On the generalised distance in statistics. <i>Proceedings of the National Institute of Sciences "
     "of India, 2</i>(1), 49&ndash;55.", false},
    {"McDonald, R. P. (1999). <i>Test theory: A unified treatment</i>. Mahwah, NJ: Lawrence Erlbaum.", false},
    {"Meade, A. W., &amp; Craig, S. B. (2012). Identifying careless responses in survey data. <i>Psychological Methods, 17</i>(3), "
     "437&ndash;455. doi:10.1037/a0028085", false},
    {"Revelle, W. (2022). <i>psych: Procedures for psychological, psychometric, and personality research</i> (R package version "
     "2.2.9). Evanston, IL: Northwestern University.", false},
    {"Samejima, F. (1969). Estimation of latent ability using a response pattern of graded scores. <i>Psychometrika Monograph "
     "Supplement, 34</i>(4, Pt. 2), No. 17.", true},
    {"Spearman, C. (1904). The proof and measurement of association between two things. <i>The American Journal of Psychology, "
     "15</i>(1), 72&ndash;101. doi:10.2307/1412159", false},
    {"Spearman, C. (1910). Correlation calculated from faulty data. <i>British Journal of Psychology, 3</i>(3), 271&ndash;295. "
     "doi:10.1111/j.2044-8295.1910.tb00206.x", false},
    {"Tabachnick, B. G., &amp; Fidell, L. S. (2013). <i>Using multivariate statistics</i> (6th ed.). Boston, MA: Pearson.", false},
};

}  // namespace

void write_references(std::ostringstream& h, bool irt) {
  h << "<h2 id=\"references\">References</h2>\n<p class=\"small\">The methods cited on this page. The instrument's own sources "
       "are listed under Instrument above.</p>\n<ul class=\"references\">\n";
  for (const Reference& r : kReferences) {
    if (r.irt && !irt) continue;
    h << "<li>" << r.text << "</li>\n";
  }
  h << "</ul>\n";
}

}  // namespace attune::report
