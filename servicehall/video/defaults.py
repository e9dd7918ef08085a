"""Data the video app starts with: playback address templates of the common recorder families and the
retention of each kind of clip *(design defaults)*. Loaded by a data migration and by `ensure_defaults`;
administrators edit the rows afterwards."""
FAMILIES = [
    # Hikvision: RTSP playback of a recorded track (channel N, main stream → track N01), times in UTC.
    ("hikvision", "海康威视 NVR（RTSP 回放）",
     "rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={start:%Y%m%dT%H%M%SZ}&endtime={end:%Y%m%dT%H%M%SZ}",
     "utc", 554, False, "ISAPI / RTSP 回放：通道 N 的主码流为 track N01"),
    # Dahua: RTSP playback by channel, local time with underscores.
    ("dahua", "大华 NVR（RTSP 回放）",
     "rtsp://{host}:{port}/cam/playback?channel={channel}&subtype=0&starttime={start:%Y_%m_%d_%H_%M_%S}&endtime={end:%Y_%m_%d_%H_%M_%S}",
     "local", 554, False, "RTSP 回放：本地时间"),
    ("rtsp", "通用 RTSP（ONVIF Profile G）",
     "rtsp://{host}:{port}/playback/{channel}?start={start:%Y-%m-%dT%H:%M:%SZ}&end={end:%Y-%m-%dT%H:%M:%SZ}",
     "utc", 554, False, "按设备说明修改路径"),
    ("local", "本地录像存储", "", "local", None, True, "录像片段保存在本系统中（演示与测试），浏览器直接播放"),
]
RETENTION = [("recording", 30), ("export", 90), ("evidence", 365)]

