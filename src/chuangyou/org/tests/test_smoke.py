import pytest

from chuangyou.testing import World


@pytest.mark.parametrize("name", ["alice", "su", "ju"])
def test_office_roles_see_students(world: World, name: str) -> None:
    response = world.client(name).get(f"/school/{world.school.code}/people/students/")
    assert response.status_code == 200
    assert "肖同学" in response.content.decode()
