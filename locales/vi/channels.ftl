### Kênh Telegram, Zalo và thông báo cho đơn vị (tiếng Việt)

telegram-command-start = Bắt đầu và chọn ngôn ngữ
telegram-command-report = Báo tin ẩn danh
telegram-command-status = Theo dõi tin đã báo bằng mã biên nhận
telegram-command-menu = Menu chính
telegram-command-cancel = Hủy tin đang soạn
telegram-command-lang = Đổi ngôn ngữ
telegram-command-privacy = Chúng tôi lưu gì và trong bao lâu
telegram-command-help = Hướng dẫn sử dụng
telegram-group-private-only = Để giữ bí mật cho người báo tin, bạn chỉ có thể báo tin trong cuộc trò chuyện riêng với { $bot }. Vui lòng nhắn tin trực tiếp cho bot; nội dung trong nhóm này không được ghi lại.

## Thông báo gửi nhóm Telegram của đơn vị: không có nội dung mô tả, không có thông tin người báo.
notice-routed = 🔔 Tin báo mới { $reference } gửi { $unit }
    Loại: { $category }
    Địa bàn: { $place }
    Mức ưu tiên: { $priority }
    Xem trên hệ thống: { $link }
notice-informed = ℹ️ Để nắm tình hình: tin báo { $reference } đã chuyển cho đơn vị khác; { $unit } được thông báo để phối hợp.
    Loại: { $category }
    Địa bàn: { $place }
    Mức ưu tiên: { $priority }
    Xem trên hệ thống: { $link }
notice-transferred = 🔁 Tin báo { $reference } đã được chuyển cho { $unit }
    Loại: { $category }
    Địa bàn: { $place }
    Mức ưu tiên: { $priority }
    Xem trên hệ thống: { $link }
notice-priority-urgent = KHẨN CẤP
notice-priority-high = Cao
notice-priority-normal = Bình thường
notice-priority-low = Thấp

# Posted to unit groups daily and after a purge; the line is a signed ledger checkpoint.
ledger-checkpoint-notice =
    📒 Điểm kiểm tra sổ cái Tipline. Hãy giữ tin nhắn này: `tipline ledger verify --checkpoints` đối chiếu cơ sở dữ liệu với nó.
    { $line }

## Messenger: màn hình chào và menu cố định của Trang (tipline messenger setup).
## Lời chào tối đa 160 ký tự, tiêu đề menu tối đa 30.
messenger-greeting = Báo tin ẩn danh về tội phạm ma túy, tìm hiểu tác hại của ma túy và nơi hỗ trợ. Không lưu tên hay ID trò chuyện cùng tin báo.
messenger-menu-report = Báo tin ẩn danh
messenger-menu-status = Theo dõi tin đã báo
messenger-menu-learn = Tìm hiểu về ma túy
messenger-menu-main = Menu chính
