// The latch-plugin/1 framing: 4-byte big-endian length + one JSON object. Messages survive being
// read in pieces of any size; what a misbehaving plugin might send (an oversized or empty
// length, bytes that are not JSON, JSON that is not an object or is nested absurdly deep) is
// refused with plugin.protocol, and the stream stays refused after.
#include "plugins/framecodec.h"

#include <QtTest>

using latch::plugins::FrameCodec;
using json = nlohmann::json;

namespace {

std::string header(std::uint32_t n)
{
    return { char(n >> 24), char((n >> 16) & 0xff), char((n >> 8) & 0xff), char(n & 0xff) };
}

} // namespace

class FrameCodecTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void encodesLengthBigEndian();
    void messageReadByteByByte();
    void severalMessagesInOneRead();
    void oversizedLengthRefusedBeforeItsBody();
    void emptyFrameRefused();
    void badJsonRefusedAndStreamStaysBroken();
    void nonObjectAndBadUtf8Refused();
    void deepNestingRefused();
    void encodeRefusesTooLargeMessage();
};

void FrameCodecTest::encodesLengthBigEndian()
{
    FrameCodec codec(1024);
    const auto frame = codec.encode(json { { "id", 1 } });
    QVERIFY(frame);
    const std::string body = R"({"id":1})";
    QCOMPARE(*frame, header(std::uint32_t(body.size())) + body);
    // 300 bytes: the length needs its second byte.
    const auto big = codec.encode(json { { "s", std::string(290, 'x') } });
    QVERIFY(big);
    QCOMPARE(big->substr(0, 4), header(std::uint32_t(big->size() - 4)));
    QCOMPARE(int((unsigned char)(*big)[2]), 1);
}

void FrameCodecTest::messageReadByteByByte()
{
    FrameCodec writer(1 << 16);
    const json message = { { "id", 7 }, { "result", { { "title", "Ölprüfung — 東京" } } } };
    const auto frame = writer.encode(message);
    QVERIFY(frame);
    FrameCodec reader(1 << 16);
    for (std::size_t i = 0; i + 1 < frame->size(); ++i) {
        reader.feed(std::string_view(frame->data() + i, 1));
        QVERIFY2(!reader.next(), "a message came out before its last byte");
    }
    reader.feed(std::string_view(frame->data() + frame->size() - 1, 1));
    auto out = reader.next();
    QVERIFY(out && *out);
    QVERIFY(**out == message);
    QVERIFY(!reader.next());
    QCOMPARE(reader.buffered(), std::size_t(0));
}

void FrameCodecTest::severalMessagesInOneRead()
{
    FrameCodec codec(1024);
    std::string bytes;
    for (int i = 1; i <= 3; ++i)
        bytes += *codec.encode(json { { "id", i } });
    // Split mid-header of the third message: two come out, the third after the rest.
    const std::size_t cut = bytes.size() - 10;
    codec.feed(std::string_view(bytes).substr(0, cut));
    for (int i = 1; i <= 2; ++i) {
        auto out = codec.next();
        QVERIFY(out && *out);
        QCOMPARE((**out)["id"].get<int>(), i);
    }
    QVERIFY(!codec.next());
    codec.feed(std::string_view(bytes).substr(cut));
    auto third = codec.next();
    QVERIFY(third && *third);
    QCOMPARE((**third)["id"].get<int>(), 3);
}

void FrameCodecTest::oversizedLengthRefusedBeforeItsBody()
{
    FrameCodec codec(1024);
    codec.feed(header(1025)); // no body at all: the header alone is enough to refuse
    auto out = codec.next();
    QVERIFY(out);
    QVERIFY(!*out);
    QCOMPARE(out->failure().code, std::string("plugin.protocol"));
    QVERIFY(out->failure().message.find("1025") != std::string::npos);
    QVERIFY(codec.broken());
    // A well-formed frame after it is not trusted.
    codec.feed(*codec.encode(json { { "id", 1 } }));
    auto after = codec.next();
    QVERIFY(after && !*after);

    FrameCodec huge(1 << 20);
    huge.feed("\xff\xff\xff\xff");
    auto refused = huge.next();
    QVERIFY(refused && !*refused);
    QVERIFY(refused->failure().message.find("4294967295") != std::string::npos);
}

void FrameCodecTest::emptyFrameRefused()
{
    FrameCodec codec(1024);
    codec.feed(header(0));
    auto out = codec.next();
    QVERIFY(out && !*out);
    QVERIFY(out->failure().message.find("empty") != std::string::npos);
}

void FrameCodecTest::badJsonRefusedAndStreamStaysBroken()
{
    FrameCodec codec(1024);
    const std::string garbage = "{\"id\": 1, oops";
    codec.feed(header(std::uint32_t(garbage.size())) + garbage);
    auto out = codec.next();
    QVERIFY(out && !*out);
    QCOMPARE(out->failure().code, std::string("plugin.protocol"));
    QVERIFY(out->failure().message.find("not valid UTF-8 JSON") != std::string::npos);
    codec.feed(*codec.encode(json { { "id", 2 } }));
    auto next = codec.next();
    QVERIFY(next && !*next);
}

void FrameCodecTest::nonObjectAndBadUtf8Refused()
{
    for (const std::string body : { std::string("[1,2,3]"), std::string("42"),
             std::string("\"text\""), std::string("{\"s\":\"\xc3\x28\"}") }) {
        FrameCodec codec(1024);
        codec.feed(header(std::uint32_t(body.size())) + body);
        auto out = codec.next();
        QVERIFY(out);
        QVERIFY2(!*out, body.c_str());
        QCOMPARE(out->failure().code, std::string("plugin.protocol"));
    }
}

void FrameCodecTest::deepNestingRefused()
{
    const std::string deep = "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}";
    auto refused = FrameCodec::parse(deep);
    QVERIFY(!refused);
    QVERIFY(refused.failure().message.find("nested") != std::string::npos);
    // Within the limit it parses.
    const int ok = FrameCodec::kMaxDepth - 2;
    const std::string fine = "{\"a\":" + std::string(ok, '[') + std::string(ok, ']') + "}";
    QVERIFY(FrameCodec::parse(fine));
}

void FrameCodecTest::encodeRefusesTooLargeMessage()
{
    FrameCodec codec(1024);
    const auto frame = codec.encode(json { { "s", std::string(2000, 'x') } });
    QVERIFY(!frame);
    QCOMPARE(frame.failure().code, std::string("plugin.too_large"));
}

QTEST_GUILESS_MAIN(FrameCodecTest)
#include "framecodectest.moc"
