#pragma once

#include "ingest/table.h"
#include "model/dataset.h"
#include "model/decimal.h"

#include <optional>
#include <string>
#include <string_view>

namespace jixiao::ingest {

/// Folds full-width ASCII (U+FF01–U+FF5E) to half-width and U+3000 to a space, then trims
/// ASCII and ideographic white space (also NBSP). Headers and values are matched after this.
std::string normalizeText(std::string_view text);

/// A number as written: "1,234.50" → 1234.5; "９５％" → 95 with percent = true.
struct ParsedNumber {
    model::Decimal value;
    bool percent = false;
    /// 95% → 0.95; a number without % stays as it is.
    model::Decimal fraction() const;
};

/// Parses a number field's text after normalizeText: optional sign (also full-width and
/// U+2212), digits with optional thousands separators (ASCII or full-width comma, only in
/// groups of three), a decimal point (ASCII or full-width ．; 。 is not accepted), an optional exponent, an
/// optional trailing % (or ％). Returns nothing for anything else, including empty text.
std::optional<ParsedNumber> parseNumber(std::string_view text);

/// Whether a cell parseNumber refuses is written as a number all the same: one too large for
/// model::Decimal (an absolute value of 920 亿 or more, e.g. 20 digits), so that the message
/// says "过大" rather than "应为数字".
bool numberTooLarge(const Cell& cell);

/// Same for a cell: Number cells parse their literal; Text cells go through parseNumber;
/// Empty, Boolean and Error cells give nothing.
std::optional<ParsedNumber> parseNumber(const Cell& cell);

/// Reads an operator word or symbol: ≥ ≧ >= ＞＝ 大于等于 不低于 不少于 → Ge; > 大于 高于 → Gt;
/// = ═ ﹦ ＝ 等于 → Eq; < 小于 低于 → Lt; ≤ ≦ <= ＜＝ 小于等于 不高于 不超过 不多于 → Le;
/// 定性 → Qualitative. 正向 → Ge, 反向 → Le. Returns nothing for anything else.
std::optional<model::Operator> parseOperator(std::string_view text);

/// A target or actual split into its operator (leading symbol/word, or 以上/以下 suffix:
/// "95%以上" → Ge, "3天以内"/"以下" → Le) and the rest. `text` is the rest as written (trimmed),
/// `value` its number if it is one (a unit word after the number is allowed: "735人次",
/// "≤5天"), percent set when it carries % or ％.
struct SplitQuantity {
    struct Rest {
        std::string text;
        std::optional<model::Decimal> value;
        bool percentSign = false;
    };
    std::optional<model::Operator> op;
    Rest quantity;
};
SplitQuantity splitQuantity(std::string_view text);

/// 是/否, 涉密/非密, 秘密/机密/绝密/公开 (a 密级), Y/N, TRUE/FALSE, 1/0 (any width, any case). Nothing for anything else.
std::optional<bool> parseYesNo(std::string_view text);

/// Trims ASCII and ideographic white space (also NBSP) without folding anything else.
std::string trimText(std::string_view text);

/// The cell's text for text fields: Text as is, Number as its literal, Boolean as 是/否,
/// Error as its code ("#N/A"); then trimText (names keep their full-width characters).
std::string cellText(const Cell& cell);

}  // namespace jixiao::ingest
