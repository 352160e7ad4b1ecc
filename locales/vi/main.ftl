### Giao diện trò chuyện (tiếng Việt là ngôn ngữ mặc định)

welcome = Xin chào! Đây là Tipline – kênh tuyên truyền phòng, chống ma túy và tiếp nhận tin báo tội phạm ma túy ẩn danh.
    Bạn không cần cho biết tên hay số điện thoại.
choose-language = Chọn ngôn ngữ / Choose your language:
language-set = Đã chuyển sang tiếng Việt.
menu-prompt = Bạn muốn làm gì?
menu-report = 🛡 Báo tin ẩn danh
menu-continue-report = 🛡 Tiếp tục tin báo đang soạn
menu-status = 🔎 Theo dõi tin đã báo
menu-privacy = 🔒 Quyền riêng tư
menu-help = ❓ Hướng dẫn sử dụng
menu-language = 🌐 Ngôn ngữ / Language
menu-attachment-outside-report = Tipline chỉ nhận ảnh và vị trí khi bạn đang báo tin. Bạn hãy chọn “Báo tin ẩn danh” trước nhé.
menu-not-understood = Xin lỗi, chúng tôi chưa hiểu ý bạn. Bạn hãy chọn một mục bên dưới (bấm nút hoặc gõ số thứ tự).
unknown-command = Tipline không có lệnh này. Gõ /help để xem các lệnh.
nothing-to-cancel = Không có tin báo nào đang soạn.
back-to-menu = ↩ Về menu chính
error-try-again = Xin lỗi, hệ thống đang bận nên chưa lưu được. Bạn vui lòng gửi lại tin nhắn vừa rồi sau ít phút. Những gì bạn đã nhập trước đó vẫn được giữ nguyên.

help-text = Các lệnh bạn có thể dùng:
    /start – bắt đầu, chọn ngôn ngữ
    /menu – menu chính
    /report (hoặc /tip) – báo tin ẩn danh
    /status [mã biên nhận] – xem tình trạng tin đã gửi
    /cancel – hủy tin báo đang soạn
    /learn (hoặc /topics) – đọc bài viết theo chủ đề; bạn cũng có thể gõ từ khóa, ví dụ: tem giấy
    /quiz [mã lớp] – làm trắc nghiệm; thầy cô cho cả lớp gõ cùng một mã, ví dụ /quiz 10A1-7KQ. Lớp 6–9 nhận câu hỏi cấp THCS, lớp 10–12 nhận cả câu hỏi cấp THPT
    /lop [tên lớp] – dành cho thầy cô: lấy mã riêng cho lớp và liên kết xem kết quả, ví dụ /lop 10A1
    /sos (hoặc /hotline) – đường dây nóng, nơi hỗ trợ
    /subscribe (hoặc /dangky) – nhận tin tuyên truyền; thêm tên tỉnh để nhận cả tin địa phương, ví dụ /dangky Đà Nẵng
    /unsubscribe (hoặc /huydangky) – ngừng nhận tin và xóa ID trò chuyện của bạn
    /erase – xóa cuộc trò chuyện báo tin này khỏi khung chat (Telegram; nơi khác: hướng dẫn tự xóa)
    /forget – xóa thông báo phản hồi và đăng ký của cuộc trò chuyện này
    /lang (hoặc /language) – đổi ngôn ngữ
    /privacy – chúng tôi lưu gì, trong bao lâu
    /help – hướng dẫn sử dụng này

    Ở mỗi bước, bạn bấm nút hoặc gõ số thứ tự của lựa chọn.
    Khẩn cấp: gọi 113 (Công an) hoặc 115 (Cấp cứu).

privacy-text = 🔒 Chúng tôi lưu gì và trong bao lâu
    • Không lưu tên, số điện thoại hay ID trò chuyện cùng tin báo. Khi trò chuyện, bạn chỉ được nhận diện bằng một mã băm có khóa bí mật của máy chủ; tin báo không mang mã này.
    • Ứng dụng chat (Telegram, Zalo, Messenger) vẫn biết tài khoản nào nhắn với bot: Tipline không thay đổi được điều đó.
    • Mã biên nhận chỉ được lưu dạng băm: hãy giữ mã cẩn thận, mất mã thì không cấp lại được.
    • Ảnh được xóa GPS, thông tin thiết bị và chủ sở hữu trước khi lưu.
    • Mỗi tin báo và mỗi thay đổi trạng thái được ghi vào sổ cái chống sửa đổi.
    • Bản nháp và phiên tự xóa khi không dùng; tin đã đóng bị xóa sau thời hạn lưu trữ. Nhật ký không ghi nội dung tin nhắn hay danh tính.
    • /subscribe lưu ID trò chuyện của bạn trong danh sách nhận tin tuyên truyền, không gắn với tin báo nào; /unsubscribe hoặc chặn bot là xóa ngay.
    • Báo khi có phản hồi (chỉ khi bạn chọn sau khi gửi tin): lưu địa chỉ trò chuyện đã mã hóa, gắn với tin báo đó, tới khi tin được đóng hoặc bạn gõ /forget.
    • Điện thoại của bạn: khi đã chép mã ra nơi khác, hãy xóa cuộc trò chuyện (/erase). Trên Telegram, bot xóa giúp trong vòng 48 giờ; trên Zalo, Messenger, bạn tự xóa.
    Gọi đường dây nóng 0769.04.04.04 hay trình báo trực tiếp được giữ bí mật, không phải ẩn danh: số điện thoại hoặc gương mặt của bạn được biết.

## Tin báo

report-intro = Cảm ơn bạn đã chung tay phòng, chống ma túy. Tipline không hỏi tên và không lưu ID trò chuyện cùng tin báo, nhưng Telegram hay Zalo vẫn biết tài khoản nào nhắn với bot (gõ /privacy để biết chính xác những gì được lưu). Bạn có thể gõ /cancel bất cứ lúc nào để hủy; sau khi gửi, bạn có thể xóa cuộc trò chuyện này khỏi điện thoại.
report-resumed = Bạn đang có một tin báo soạn dở. Chúng ta tiếp tục nhé.
report-ask-category = Bước 1/5 – Bạn muốn báo về việc gì?
    • Tụ điểm: karaoke, quán bar, nhà nghỉ, phòng trọ…
    • Vận chuyển: kể cả gửi qua bưu điện, giao hàng
    • Ma túy ngụy trang: kẹo, nước uống, thuốc lá điện tử, bán gần trường học hoặc trên mạng
category-dealing = Mua bán ma túy
category-use_venue = Tụ điểm sử dụng ma túy
category-trafficking = Vận chuyển, gửi hàng ma túy
category-production = Sản xuất, điều chế ma túy
category-cultivation = Trồng cây có chất ma túy
category-disguised_sale = Bán ma túy ngụy trang
category-person_in_danger = Có người gặp nguy, “ngáo đá”
category-other = Việc khác
danger-call-now = ⚠️ Nếu có người đang gặp nguy hiểm, hãy gọi ngay 113 (Công an) hoặc 115 (Cấp cứu). Giữ khoảng cách an toàn, không tranh cãi với người đang bị kích động.
    Sau khi gọi, bạn có thể tiếp tục báo tin tại đây – tin sẽ được ưu tiên khẩn.
report-ask-location = Bước 2/5 – Việc này xảy ra ở phường, xã nào? Hãy gõ tên (ví dụ: Biên Hòa). Không cần gõ dấu.
    Bạn cũng có thể gửi vị trí để bổ sung thông tin.
report-dont-know-ward = Tôi không biết phường/xã
report-location-pick = Bạn chọn đúng nơi trong danh sách:
report-search-again = 🔁 Tìm lại
report-whole-province = { $province } (không rõ phường/xã)
report-location-none = Không tìm thấy phường, xã hay tỉnh nào tên “{ $query }”. Bạn thử gõ lại tên khác (không cần dấu), hoặc chọn “Tôi không biết phường/xã”.
report-ask-province = Bạn chọn tỉnh, thành phố nơi xảy ra việc này:
report-location-noted = 📍 Đã ghi nhận vị trí bạn gửi.
report-location-invalid = Vị trí này không hợp lệ nên chưa được ghi nhận.
report-ask-when = Bước 3/5 – Việc này diễn ra khi nào?
when-now = Đang diễn ra / hôm nay
when-this_week = Trong tuần này
when-earlier = Trước đó
when-unknown = Không rõ
report-ask-description = Bước 4/5 – Bạn hãy mô tả sự việc: ai, làm gì, ở đâu (số nhà, tên quán, đặc điểm nhận dạng, phương tiện…), diễn ra thường xuyên không.
    Từ { $min } đến { $max } ký tự. Đừng ghi thông tin về bản thân bạn.
report-description-too-short = Mô tả hơi ngắn ({ $len } ký tự). Bạn viết thêm chi tiết nhé, tối thiểu { $min } ký tự.
report-description-too-long = Mô tả quá dài ({ $len } ký tự, tối đa { $max }). Bạn rút gọn lại rồi gửi lần nữa nhé; có thể bổ sung thêm sau khi gửi bằng mã biên nhận.
report-ask-attachments = Bước 5/5 – Bạn có ảnh chụp liên quan không? Gửi tối đa { $max } ảnh (JPEG hoặc PNG). Thông tin định vị và thiết bị trong ảnh sẽ được xóa trước khi lưu.
report-more-attachments = Đã nhận { $count }/{ $max } ảnh. Gửi thêm hoặc bấm “Xong”.
report-skip-attachments = Bỏ qua
report-done-attachments = Xong
report-attachment-received = 📎 Đã nhận ảnh.
report-attachments-full = Bạn đã gửi đủ số ảnh tối đa.
report-attachment-not-now = Hiện chưa đến bước gửi ảnh. Bạn trả lời câu hỏi dưới đây trước nhé.
attachment-too-large = Tệp quá lớn (tối đa 10 MB). Bạn gửi ảnh nhỏ hơn nhé.
attachment-unsupported = Tipline chỉ nhận ảnh JPEG hoặc PNG. Tệp này chưa được lưu.
attachment-corrupt = Không đọc được ảnh này. Bạn thử chụp hoặc gửi lại nhé.
attachment-too-many-pixels = Ảnh quá lớn để xử lý (tối đa 8.000 điểm ảnh mỗi cạnh, ảnh lớn còn bị giới hạn tổng số điểm ảnh). Bạn gửi ảnh nhỏ hơn hoặc ảnh chụp màn hình nhé. Chưa có gì được lưu.
attachment-draft-full = Tin báo của bạn đã chứa dung lượng ảnh tối đa (25 MB). Bạn tiếp tục mà không gửi thêm ảnh nhé; ảnh vừa gửi chưa được lưu.
report-not-understood = Xin lỗi, chúng tôi chưa hiểu. Bạn chọn một trong các mục bên dưới nhé.
review-summary = Bạn kiểm tra lại tin báo:
    • Loại: { $category }
    • Nơi: { $location }
    • Vị trí GPS: { $gps }
    • Thời gian: { $when }
    • Ảnh đính kèm: { $attachments }
    • Mô tả: { $description }
review-send = ✅ Gửi tin báo
review-edit = ✏️ Sửa
review-cancel = ❌ Hủy
report-ask-edit = Bạn muốn sửa phần nào?
edit-location = Nơi xảy ra
edit-when = Thời gian
edit-description = Mô tả
edit-attachments = Ảnh đính kèm
edit-restart = Làm lại từ đầu
edit-back = ↩ Quay lại bản xem trước
report-cancelled = Đã hủy. Tin báo nháp đã bị xóa, không có gì được lưu.
report-submitted = ✅ Đã gửi tin báo. Cảm ơn bạn!
    Mã tin: { $reference }
    🔑 Mã biên nhận: { $receipt }
    Hãy chép lại mã biên nhận ở nơi an toàn. Đây là cách duy nhất để theo dõi tin, đọc phản hồi của cán bộ và bổ sung thông tin (lệnh /status). Chúng tôi không lưu mã này nên không thể cấp lại.

## Theo dõi tin

status-ask-receipt = Bạn gửi mã biên nhận (dạng XXXX-XXXX-XXXX-XXXX-XXXX). Chữ hoa hay thường, có gạch nối hay không đều được.
status-bad-format = Mã này không đúng định dạng. Mã biên nhận gồm 20 ký tự chữ và số, thường viết thành 5 nhóm 4 ký tự.
status-not-found = Không tìm thấy tin báo nào với mã này. Bạn kiểm tra lại mã nhé (còn { $left } lần thử trong giờ này).
status-throttled = Bạn đã nhập sai mã quá nhiều lần. Để bảo vệ các tin báo, bạn vui lòng thử lại sau khoảng { $minutes } phút.
status-found = Tin { $reference }
    Trạng thái: { $status }
status-no-messages = Chưa có phản hồi từ cán bộ.
status-from-officer = 👮 Cán bộ
status-from-you = 🙋 Bạn
status-reply = ✉️ Gửi thêm thông tin
status-ask-message = Bạn nhập nội dung muốn gửi cho cán bộ phụ trách (tối đa { $max } ký tự).
status-message-length = Tin nhắn cần có nội dung và không quá { $max } ký tự (hiện có { $len }). Bạn gửi lại nhé.
status-message-ask-receipt = Để gửi, bạn nhập lại mã biên nhận một lần nữa. Tipline không ghi nhớ bạn vừa xem tin báo nào, để cuộc trò chuyện này không thể bị liên kết với tin báo.
status-message-sent = Đã gửi thông tin bổ sung cho tin { $reference }.
status-new = Mới tiếp nhận
status-open = Đang xử lý
status-closed = Đã đóng
resolution-actioned = đã xử lý
resolution-unfounded = chưa đủ căn cứ
resolution-duplicate = trùng với tin khác
resolution-spam = không hợp lệ

## Issue 21: old place names, shared locations, intent, times in words, help, class codes
report-location-former = { $old } cũ nay { $count ->
    [1] thuộc
   *[other] gồm
  }: { $wards }.
report-location-near = 📍 Có phải gần { $ward }? Vị trí được so với tâm của phường, xã nên chỉ là gợi ý: bạn xác nhận giúp.
report-location-near-yes = ✅ Đúng, { $ward }
report-location-near-no = 🔁 Không, tìm theo tên
report-location-no-fix = Vị trí gửi đến là 0,0: điện thoại có lẽ chưa định vị được. Bạn hãy gõ tên phường, xã.
report-location-outside = Vị trí này nằm ngoài Việt Nam nên chưa được ghi nhận. Bạn hãy gõ tên phường, xã nơi xảy ra việc.
report-location-too-long = Tên nơi này quá dài. Bạn chỉ cần gõ tên phường, xã (ví dụ: Biên Hòa, Quận 1), chi tiết khác hãy ghi ở bước mô tả.
report-location-no-letters = Tin này không có chữ nào để tìm. Bạn hãy gõ tên phường, xã (ví dụ: Biên Hòa), hoặc chọn “Tôi không biết phường/xã”.
welcome-short = Xin chào, đây là Tipline: thông tin phòng, chống ma túy và kênh gửi tin báo ẩn danh.
intent-report-offer = Bạn muốn gửi tin báo ẩn danh về việc này? Nội dung bạn vừa viết sẽ được giữ làm phần mô tả.
intent-report-yes = ✅ Có, gửi tin báo ẩn danh
intent-report-no = 🔎 Không, tìm bài viết
intent-report-kept = Đã giữ nội dung bạn viết làm phần mô tả. Bạn trả lời thêm vài câu hỏi nhé.
report-when-understood = Đã ghi thời gian đúng như bạn viết: “{ $said }” (gần nhất với: { $option }).
report-when-kept = Đã ghi thời gian đúng như bạn viết: “{ $said }”. Nếu nhớ rõ hơn, bạn có thể ghi thêm ở phần mô tả.
tip-when-said-line = [Thời gian theo lời người báo: “{ $said }”]
helpdesk-first-stop = Nơi hỏi đầu tiên ở mọi tỉnh, thành:
    • Trạm y tế xã, phường nơi bạn ở: tư vấn, giới thiệu điều trị nghiện (kể cả điều trị methadone) và cai nghiện tự nguyện. Hỏi Ủy ban nhân dân xã, phường hoặc tra trên cổng thông tin của xã, phường để biết địa chỉ.
    • Ủy ban nhân dân xã, phường: nơi đăng ký cai nghiện tự nguyện. Đăng ký điều trị không phải là tội.
    Số điện thoại toàn quốc:

## Issue 13: xóa cuộc trò chuyện khỏi điện thoại, báo khi có phản hồi, /forget

erase-offer = 🧹 Tôi đã lưu mã: xóa cuộc trò chuyện này
erase-confirm = Xóa cuộc trò chuyện này khỏi điện thoại của bạn? Tôi sẽ xóa các tin nhắn của cuộc trò chuyện này, của bạn và của tôi, để người khác cầm điện thoại của bạn không đọc được. Tin báo của bạn vẫn được chuyển tới cán bộ.
    Hãy kiểm tra trước: mã biên nhận đã được lưu ở nơi khác, ngoài cuộc trò chuyện này. Sau khi xóa, mã sẽ không còn ở đây.
erase-yes = 🧹 Có, xóa ngay
erase-no = Chưa, giữ lại cuộc trò chuyện
erase-kept = Cuộc trò chuyện được giữ lại. Bạn có thể tự xóa bất cứ lúc nào.
erase-done = 🧹 Xong: đã xóa { $count } tin nhắn khỏi cuộc trò chuyện này. Gõ /menu để tiếp tục.
erase-partly = 🧹 Đã xóa { $count } tin nhắn. { $left } tin nhắn không xóa được nữa (Telegram chỉ cho xóa trong vòng 48 giờ).
erase-too-late = Tôi không thể xóa các tin nhắn đó nữa: Telegram chỉ cho bot xóa tin nhắn trong vòng 48 giờ.
erase-nothing = Không còn gì ở đây để tôi xóa: cuộc trò chuyện đã được xóa, hoặc không được giữ lại để xóa.
erase-by-hand-telegram = Để tự xóa trong Telegram: mở cuộc trò chuyện này, bấm menu ⋮ (góc trên bên phải), chọn “Xóa lịch sử” (Clear history) hoặc “Xóa cuộc trò chuyện” (Delete chat), và chọn xóa cả phía Tipline nếu có.
erase-by-hand-zalo = Zalo không cho bot xóa tin nhắn. Để tự xóa cuộc trò chuyện này: mở cuộc trò chuyện, bấm ☰ (góc trên bên phải) và chọn “Xóa lịch sử trò chuyện”.
erase-by-hand-messenger = Messenger không cho bot xóa tin nhắn. Để tự xóa cuộc trò chuyện này: trong danh sách đoạn chat, nhấn giữ cuộc trò chuyện (hoặc vuốt sang trái trên iPhone) và chọn “Xóa”.
erase-by-hand-web = Để xóa cuộc trò chuyện này khỏi thiết bị, hãy đóng cửa sổ trò chuyện và xóa dữ liệu của trang web này trong trình duyệt (hoặc lần sau dùng cửa sổ ẩn danh).
erase-by-hand-console = Đây là bảng điều khiển (console): không có gì lưu trên điện thoại. Hãy xóa màn hình terminal và phần cuộn lại để xóa cuộc trò chuyện khỏi màn hình.
notice-offer = 🔔 Báo cho tôi ở đây khi cán bộ trả lời
notice-explain = 🔔 Tùy chọn: tôi có thể báo cho bạn trong cuộc trò chuyện này khi cán bộ trả lời (không bao giờ kèm nội dung trả lời). Khi đó, một địa chỉ đã mã hóa của cuộc trò chuyện này được lưu, gắn với tin báo này, cho tới khi tin báo được đóng hoặc bạn gõ /forget.
notice-on = 🔔 Xong: khi cán bộ trả lời, tôi sẽ gửi “Bạn có phản hồi” tại đây. Gõ /forget để tắt bất cứ lúc nào.
notice-reply = 🔔 Bạn có phản hồi về tin báo của mình. Gõ /status và mã biên nhận để đọc.
forget-done = Xong: đã xóa thông báo phản hồi và đăng ký tin tuyên truyền của cuộc trò chuyện này (nếu có), và không còn tin nhắn nào được giữ để xóa.
