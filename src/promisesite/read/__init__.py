"""Reading: bytes on disk and in git → documents → promises, each problem a finding."""
