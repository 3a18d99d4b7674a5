#include "model/diagnostic.h"

#include <utility>

namespace jixiao::model {

std::string columnLetter(int column) {
    if (column < 0) return {};
    std::string s;
    int n = column + 1;
    while (n > 0) {
        int r = (n - 1) % 26;
        s.insert(s.begin(), char('A' + r));
        n = (n - 1) / 26;
    }
    return s;
}

std::string Diagnostic::format() const {
    std::string out;
    if (!at.file.empty()) {
        out += at.file;
        if (!at.sheet.empty() || at.row > 0) {
            out += '[';
            if (!at.sheet.empty()) out += at.sheet + (at.row > 0 ? "!" : "");
            if (at.row > 0) {
                out += at.column >= 0 ? columnLetter(at.column) : std::string();
                out += std::to_string(at.row);
            }
            out += ']';
        }
        out += ' ';
    }
    switch (severity) {
    case Severity::Error: out += "错误："; break;
    case Severity::Warning: out += "警告："; break;
    case Severity::Note: out += "说明："; break;
    }
    out += message;
    if (!hint.empty()) out += "提示：" + hint;
    return out;
}

void Diagnostics::add(Diagnostic d) {
    if (d.severity == Severity::Error) ++errors_;
    if (d.severity == Severity::Warning) ++warnings_;
    int& n = perFile_[d.at.file];
    if (n >= capPerFile_) {
        ++suppressed_;
        return;
    }
    ++n;
    list_.push_back(std::move(d));
}

void Diagnostics::error(const Position& at, std::string value, std::string message, std::string hint) {
    add({Severity::Error, at, std::move(value), std::move(message), std::move(hint), {}});
}

void Diagnostics::warning(const Position& at, std::string value, std::string message, std::string hint) {
    add({Severity::Warning, at, std::move(value), std::move(message), std::move(hint), {}});
}

void Diagnostics::note(const Position& at, std::string value, std::string message, std::string hint) {
    add({Severity::Note, at, std::move(value), std::move(message), std::move(hint), {}});
}

bool Diagnostics::hasErrorFor(const std::string& projectCode) const {
    for (const auto& d : list_)
        if (d.severity == Severity::Error && d.projectCode == projectCode) return true;
    return false;
}

}  // namespace jixiao::model
