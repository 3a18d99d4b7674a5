#include "web/upload.h"

#include "web/password.h"

#include <Poco/File.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace jixiao::web {

namespace {

/// The upload would pass its limit.
struct TooLarge {};

class FilePartHandler : public Poco::Net::PartHandler {
public:
    FilePartHandler(Upload& upload, std::string dir, std::int64_t limit) : upload_(upload), dir_(std::move(dir)), left_(limit) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        std::string name = params.get("filename", "");
        // Only the last component, whatever separator the client's system uses.
        auto slash = name.find_last_of("/\\");
        if (slash != std::string::npos) name = name.substr(slash + 1);
        if (name.size() > 200) name = name.substr(0, 200);
        std::string path = dir_ + "/" + randomHex(12);
        upload_.files.push_back({name, path, 0});
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        char buffer[65536];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
            auto n = std::int64_t(stream.gcount());
            left_ -= n;
            if (left_ < 0) throw TooLarge{};
            out.write(buffer, std::streamsize(n));
            upload_.files.back().bytes += n;
        }
        if (!out.flush()) throw HttpError(507, "服务器磁盘空间不足或无法写入，上传未保存。");
    }

private:
    Upload& upload_;
    std::string dir_;
    std::int64_t left_;
};

}  // namespace

Upload::~Upload() {
    for (const auto& f : files) {
        std::error_code ignored;  // a temporary file already gone is fine; a destructor must not throw
        std::filesystem::remove(f.path, ignored);
    }
}

std::string megabytes(std::int64_t bytes) { return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024)) + " MB"; }

Upload receiveUpload(Exchange& ex, const std::string& dir, std::int64_t limit) {
    const std::string tooLarge =
        "上传内容过大：每次最多上传 " + megabytes(limit) + "。请分几次上传，或请管理员用 jixiao serve --max-upload 调大上限。";
    auto length = ex.request.getContentLength64();
    if (length > limit) {
        // Read what the client sends (up to a bound) so it sees the answer, not a reset connection.
        std::istream& in = ex.request.stream();
        char buffer[65536];
        std::int64_t drained = 0;
        while (drained < limit + (64 << 20) && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) drained += in.gcount();
        throw HttpError(413, tooLarge);
    }
    if (ex.request.getContentType().rfind("multipart/form-data", 0) != 0) throw HttpError(400, "上传应使用 multipart/form-data 格式。");
    Poco::File(dir).createDirectories();
    Upload upload;
    FilePartHandler handler(upload, dir, limit);
    Poco::Net::HTMLForm form;
    form.setFieldLimit(50);
    try {
        form.load(ex.request, ex.request.stream(), handler);
    } catch (const TooLarge&) {
        throw HttpError(413, tooLarge);
    } catch (const Poco::Exception& e) {
        throw HttpError(400, "上传内容不完整或格式有误：" + e.displayText());
    }
    for (const auto& [key, value] : form) upload.fields[key] = value;
    return upload;
}

}  // namespace jixiao::web
