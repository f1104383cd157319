"""创优 (Chuangyou): a platform for running a school's 创先争优 campaign."""
